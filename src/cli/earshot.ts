import { readFileSync } from 'node:fs';
import { serveCommand, serveUsage } from './commands/serve';
import { decodeCommand, decodeUsage } from './commands/decode';
import { sweepCommand, sweepUsage } from './commands/sweep';
import { analyzeCommand, analyzeUsage } from './commands/analyze';
import { exportCommand, exportUsage } from './commands/export';
import { mergeCommand, mergeUsage } from './commands/merge';
import { rescoreCommand, rescoreUsage } from './commands/rescore';
import { EXIT, type ExitCode } from './exit-codes';
import { modelsCommand, modelsUsage } from './commands/models';
import { compareCommand, compareUsage } from './commands/compare';

/** `earshot <command> …`: the same engine as the app, from a terminal. */
const commands: Record<string, { run(argv: string[]): Promise<ExitCode | void>; usage: string }> = {
  decode: { run: decodeCommand, usage: decodeUsage },
  serve: { run: serveCommand, usage: serveUsage },
  sweep: { run: sweepCommand, usage: sweepUsage },
  analyze: { run: analyzeCommand, usage: analyzeUsage },
  export: { run: exportCommand, usage: exportUsage },
  merge: { run: mergeCommand, usage: mergeUsage },
  compare: { run: compareCommand, usage: compareUsage },
  rescore: { run: rescoreCommand, usage: rescoreUsage },
  models: { run: modelsCommand, usage: modelsUsage },
};

function usage(): string {
  return [
    'usage: earshot <command> [options]     (earshot <command> --help for one command; earshot --version)',
    '',
    ...Object.values(commands).map((c) => c.usage),
    '',
    'Exit status: 0 done; 1 the command could not run; 2 some inputs failed; 130 interrupted (Ctrl-C).',
  ].join('\n');
}

/** The version in package.json (cli.js lives in out/main/). */
function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** An exit code ends the process (worker threads already closed); none means it keeps serving. */
async function main(argv: string[]): Promise<ExitCode | void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    console.log(`earshot ${version()}`);
    return EXIT.ok;
  }
  const command = commands[name];
  if (!command) throw new Error(`unknown command "${name}"\n\n${usage()}`);
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (error: unknown) => {
    console.error(`earshot: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(EXIT.failed);
  },
);
