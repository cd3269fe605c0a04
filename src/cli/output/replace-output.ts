/**
 * `analyze` and `sweep` write one JSON file each, atomically. An existing --out is replaced
 * only when it is the same kind of file (a session, a sweep result); anything else, and a
 * file that cannot be read as one, is refused so nothing the user saved is lost.
 */
import { copyFile, open, readFile, stat } from 'node:fs/promises';

export type JsonOutputKind = 'session' | 'sweep';

const KIND_NAME: Record<JsonOutputKind, string> = { session: 'an Earshot session', sweep: 'an `earshot sweep` result' };

function isKind(value: unknown, kind: JsonOutputKind): boolean {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return kind === 'session' ? v.format === 'earshot-session' : Array.isArray(v.points) && Array.isArray(v.paretoFront) && typeof v.options === 'object';
}

/** Sessions and sweeps are a few MB; anything much larger is not one. */
const MAX_JSON_BYTES = 1 << 30;

async function firstChar(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const head = new Uint8Array(256);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return Buffer.from(head.subarray(0, bytesRead)).toString('utf8').trimStart().charAt(0);
  } finally {
    await file.close();
  }
}

/**
 * Resolves when `out` may be written: it does not exist, or it holds the same kind of output.
 * With `backup`, the file it replaces is kept beside it as `<out>.bak` (a session holds
 * annotations a re-analysis does not).
 */
export async function checkReplaceableOutput(out: string, kind: JsonOutputKind, options: { backup?: boolean } = {}): Promise<{ backup?: string }> {
  const info = await stat(out).catch(() => undefined);
  if (!info) return {};
  const refuse = (why: string): Error => new Error(`--out ${out} ${why}; choose another output file (nothing was written)`);
  if (!info.isFile()) throw refuse('is not a regular file');
  if (info.size === 0) return {};
  if (info.size > MAX_JSON_BYTES || (await firstChar(out)) !== '{') throw refuse(`exists and is not ${KIND_NAME[kind]}`);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(out, 'utf8'));
  } catch {
    throw refuse(`exists and cannot be read as ${KIND_NAME[kind]} (it may be damaged: open or repair it first)`);
  }
  if (!isKind(value, kind)) throw refuse(`exists and is not ${KIND_NAME[kind]}`);
  if (!options.backup) return {};
  const backup = `${out}.bak`;
  await copyFile(out, backup);
  return { backup };
}
