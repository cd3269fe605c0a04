/** Opens a token LM for fusion: an ARPA file over the recogniser's tokens, plain or gzipped (`.arpa.gz`). */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { TokenTable } from '../asr/tokens';
import { readTokenArpa } from './token-arpa';
import { TokenLm } from './token-lm';

export function loadTokenLm(path: string, tokens: TokenTable): TokenLm {
  const bytes = readFileSync(path);
  const text = (/\.gz$/i.test(path) ? gunzipSync(bytes) : bytes).toString('utf8');
  return new TokenLm(readTokenArpa(text, path, tokens), tokens.size);
}
