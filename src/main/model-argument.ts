import { resolve } from 'node:path';

/** `--model DIR` or `--model=DIR` on the app's command line: the model the workbench starts on. */
export function modelArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--model' && argv[i + 1]) return resolve(argv[i + 1]);
    if (argv[i].startsWith('--model=')) return resolve(argv[i].slice('--model='.length));
  }
  return undefined;
}
