import { copyFile, open } from 'node:fs/promises';
import type { Session } from '../../shared/domain/session';
import { writeFileAtomic } from './atomic-write';
import { nonFiniteReplacer } from './json-number';
import type { PathGuard } from './path-guard';
import { SESSION_FORMAT, SESSION_VERSION } from './session-schema';
import { fsProblem, SessionError } from './session-error';
import { MAX_JSON_DEPTH, shortPath, tooDeepAt } from './json-depth';

/** Session JSON, `format` and `version` first so a file's kind shows in its first bytes. */
export function serializeSession(session: Session): string {
  const deep = tooDeepAt(session);
  if (deep !== undefined) throw new SessionError('invalid', '(session)', `"${shortPath(deep)}" is nested more than ${MAX_JSON_DEPTH} levels deep; a session cannot be written with it`);
  const { format: _format, version: _version, ...rest } = session;
  return `${JSON.stringify({ format: SESSION_FORMAT, version: SESSION_VERSION, ...rest }, nonFiniteReplacer)}\n`;
}

/**
 * Saves atomically. Refuses to replace a file that is not an Earshot session (a mistyped
 * path must not destroy someone's data) or one from a newer Earshot; a file of an older
 * version is kept once beside it as `<file>.v<N>.bak` before it is upgraded.
 */
export async function saveSession(file: string, session: Session, options: { guard: PathGuard }): Promise<void> {
  const path = options.guard.check(file, 'the session file');
  const existing = await existingVersion(path);
  if (existing === 'other') {
    throw new SessionError('refuse-overwrite', path, 'exists and is not an Earshot session; choose another file name');
  }
  if (typeof existing === 'number' && existing > SESSION_VERSION) {
    throw new SessionError('refuse-overwrite', path, `was written by a newer Earshot (session version ${existing}); it is left as it is`);
  }
  try {
    if (typeof existing === 'number' && existing < SESSION_VERSION) await copyFile(path, `${path}.v${existing}.bak`);
    await writeFileAtomic(path, serializeSession(session));
  } catch (err) {
    throw fsProblem(err, path, 'saving the session', 'write-failed');
  }
}

/** The version of the session at `path` from its first bytes; null when there is no file. */
async function existingVersion(path: string): Promise<number | null | 'other'> {
  let head: string;
  try {
    const file = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await file.read(Buffer.alloc(512), 0, 512, 0);
      head = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await file.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fsProblem(err, path, 'checking the file to replace');
  }
  if (head.trim() === '') return null; // an empty file holds nothing to lose
  // Pretty-printed or older files may order fields differently: look for both markers anywhere in the head.
  const version = /"version"\s*:\s*(\d+)/.exec(head);
  const isSession = head.includes(`"${SESSION_FORMAT}"`) || /^\s*\{\s*"version"\s*:\s*0\b/.test(head);
  return isSession && version ? Number(version[1]) : 'other';
}
