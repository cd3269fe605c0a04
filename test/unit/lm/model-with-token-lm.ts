import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The order-4 token ARPA training/lm/token_ngram.py made over the shipped model's 29 tokens. */
export const fixtureTokenLm = join(__dirname, '..', '..', 'fixtures', 'lm', 'token-lm', 'tokens-4gram.arpa');

/**
 * A copy of a model folder at `dest` whose model.json names the fixture token LM under
 * `decode.lm` with these weights, as a shipped model names its own.
 */
export function modelWithTokenLm(modelDir: string, dest: string, lm: { weight: number; token_bonus: number } = { weight: 0.4, token_bonus: 0.5 }): string {
  cpSync(modelDir, dest, { recursive: true });
  mkdirSync(join(dest, 'lm'), { recursive: true });
  cpSync(fixtureTokenLm, join(dest, 'lm', 'tokens-4gram.arpa'));
  const json = JSON.parse(readFileSync(join(dest, 'model.json'), 'utf8')) as { decode?: Record<string, unknown> };
  json.decode = { ...json.decode, lm: { file: 'lm/tokens-4gram.arpa', ...lm } };
  writeFileSync(join(dest, 'model.json'), JSON.stringify(json, null, 2));
  return dest;
}

/** A copy of a model folder at `dest` whose model.json names no token LM (whatever the original names). */
export function modelWithoutTokenLm(modelDir: string, dest: string): string {
  cpSync(modelDir, dest, { recursive: true });
  const json = JSON.parse(readFileSync(join(dest, 'model.json'), 'utf8')) as { decode?: Record<string, unknown> };
  if (json.decode) delete json.decode.lm;
  writeFileSync(join(dest, 'model.json'), JSON.stringify(json, null, 2));
  return dest;
}
