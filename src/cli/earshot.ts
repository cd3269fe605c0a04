import { serveCommand, serveUsage } from './commands/serve';
import { decodeCommand, decodeUsage } from './commands/decode';
import { sweepCommand, sweepUsage } from './commands/sweep';
import { analyzeCommand, analyzeUsage } from './commands/analyze';
import { exportCommand, exportUsage } from './commands/export';
import { modelsCommand, modelsUsage } from './commands/models';

/** `earshot <command> …`: the same engine as the app, from a terminal. */
const commands: Record<string, { run(argv: string[]): Promise<void>; usage: string }> = {
  decode: { run: decodeCommand, usage: decodeUsage },
  serve: { run: serveCommand, usage: serveUsage },
  sweep: { run: sweepCommand, usage: sweepUsage },
  analyze: { run: analyzeCommand, usage: analyzeUsage },
  export: { run: exportCommand, usage: exportUsage },
  models: { run: modelsCommand, usage: modelsUsage },
};

function usage(): string {
  return ['usage: earshot <command> [options]', '', ...Object.values(commands).map((c) => c.usage)].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return;
  }
  const command = commands[name];
  if (!command) throw new Error(`unknown command "${name}"\n\n${usage()}`);
  await command.run(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`earshot: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
