import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { strFromU8, strToU8, unzipSync, Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { Session } from '../../shared/domain/session';
import { withAtomicFile } from '../session/atomic-write';
import { parseSession } from '../session/load-session';
import type { PathGuard } from '../session/path-guard';
import { serializeSession } from '../session/save-session';
import { fsProblem, SessionError } from '../session/session-error';
import { FileNamer } from './file-names';

export const BUNDLE_SESSION_ENTRY = 'session.json';

/**
 * A zip holding session.json and, with `includeAudio`, every recording under audio/ (stored,
 * not deflated: audio barely compresses). Bundled recordings get paths relative to the
 * bundle, which loadSession resolves once it is unpacked. Written atomically and streamed,
 * so large audio is never all in memory.
 */
export async function writeSessionBundle(session: Session, outFile: string, options: { guard: PathGuard; includeAudio: boolean }): Promise<void> {
  const path = options.guard.check(outFile, 'the bundle');
  const namer = new FileNamer();
  const audio = options.includeAudio ? session.recordings.map((r) => ({ from: r.path, entry: `audio/${namer.name(r.id, extname(r.path))}` })) : [];
  const bundled: Session = options.includeAudio
    ? { ...session, recordings: session.recordings.map((r, i) => ({ ...r, path: audio[i].entry })) }
    : session;
  try {
    await withAtomicFile(path, async (file) => {
      const chunks: Uint8Array[] = [];
      let zipError: Error | null = null;
      const zip = new Zip((err, data) => {
        if (err) zipError = err;
        else chunks.push(data);
      });
      const drain = async () => {
        for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) await file.write(chunk);
        if (zipError) throw zipError;
      };
      const json = new ZipDeflate(BUNDLE_SESSION_ENTRY, { level: 6 });
      zip.add(json);
      json.push(strToU8(serializeSession(bundled)), true);
      await drain();
      for (const a of audio) {
        const entry = new ZipPassThrough(a.entry);
        zip.add(entry);
        for await (const chunk of createReadStream(a.from)) {
          entry.push(chunk as Uint8Array);
          await drain();
        }
        entry.push(new Uint8Array(0), true);
        await drain();
      }
      zip.end();
      await drain();
    });
  } catch (err) {
    if (err instanceof SessionError) throw err;
    throw fsProblem(err, path, 'writing the bundle', 'write-failed');
  }
}

/** Reads a bundle in memory: the session and the names of the audio entries it carries. */
export function readSessionBundle(bytes: Uint8Array, file = 'bundle'): { session: Session; audioEntries: string[] } {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (f) => f.name === BUNDLE_SESSION_ENTRY });
  } catch (err) {
    throw new SessionError('malformed-json', file, `is not a readable zip (${(err as Error).message})`);
  }
  if (!entries[BUNDLE_SESSION_ENTRY]) throw new SessionError('invalid', file, `has no ${BUNDLE_SESSION_ENTRY}`);
  const { session } = parseSession(strFromU8(entries[BUNDLE_SESSION_ENTRY]), `${file}:${BUNDLE_SESSION_ENTRY}`);
  const audioEntries: string[] = [];
  unzipSync(bytes, {
    filter: (f) => {
      if (f.name.startsWith('audio/')) audioEntries.push(f.name);
      return false;
    },
  });
  return { session, audioEntries };
}
