import { z } from 'zod';

/**
 * JSON has no Infinity or NaN, yet log-probabilities and scores can be -Infinity.
 * Sessions write them as strings ("-Infinity") and read them back as numbers.
 */
const SPECIAL = { Infinity: Infinity, '-Infinity': -Infinity, NaN: NaN } as const;

// zod's number() refuses ±Infinity and NaN; values already in memory may hold them.
const anyNumber = z.custom<number>((v) => typeof v === 'number', 'expected a number');

export const jsonNumber = z.union([
  anyNumber,
  z.enum(['Infinity', '-Infinity', 'NaN']).transform((s) => SPECIAL[s]),
]);

/** JSON.stringify replacer that keeps non-finite numbers readable by `jsonNumber`. */
export function nonFiniteReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

/** A finite number ≥ 0 (times, durations). */
export const seconds = z.number().finite().nonnegative();
