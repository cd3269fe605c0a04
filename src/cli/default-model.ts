import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/** The shipped model, unless --model or EARSHOT_MODEL names another (cli.js lives in out/main/). */
export function defaultModelDir(): string {
  return resolve(process.env.EARSHOT_MODEL ?? fileURLToPath(new URL('../../resources/models/earshot-rnnt', import.meta.url)));
}
