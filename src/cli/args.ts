import { parseArgs, type ParseArgsConfig } from 'node:util';
import { latticeBeamSchema } from '@shared/api';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * parseArgs with `--help` on every command: returns undefined after printing the usage, and
 * turns node's "Unknown option" into a message that shows the command's usage.
 */
export function commandArgs<O extends Options>(argv: string[], options: O, usage: string) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    return undefined;
  }
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (error) {
    throw new Error(`${(error as Error).message.replace(/\. To specify a positional argument.*$/s, '')}\n\nusage: ${usage}`);
  }
}

/** --lattice-beam: nats, 0 to 100. */
export function latticeBeam(value: string): number {
  const beam = latticeBeamSchema.safeParse(Number(value));
  if (value.trim() === '' || !beam.success) throw new Error(`--lattice-beam must be a number of nats from 0 to 100, not "${value}"`);
  return beam.data;
}

/** A whole number ≥ 1 given as an option's text. */
export function positiveInteger(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1, not "${value}"`);
  return n;
}
