import { access, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Session, SessionRecording } from '../../shared/domain/session';
import { sha256File } from './file-hash';
import type { PathGuard } from './path-guard';
import { fsProblem, SessionError } from './session-error';

export interface MissingAudio {
  recordingId: string;
  path: string;
  sha256: string;
  /** `missing`: no file at the path; `changed`: a file is there but its content differs. */
  reason: 'missing' | 'changed';
}

/** Recordings whose audio is gone, or (with `verifyHashes`) no longer the same audio. */
export async function findMissingAudio(session: Session, options: { verifyHashes?: boolean } = {}): Promise<MissingAudio[]> {
  const missing: MissingAudio[] = [];
  for (const r of session.recordings) {
    const exists = await access(r.path).then(
      () => true,
      () => false,
    );
    if (!exists) missing.push({ recordingId: r.id, path: r.path, sha256: r.sha256, reason: 'missing' });
    else if (options.verifyHashes && (await sha256File(r.path).catch(() => '')) !== r.sha256) {
      missing.push({ recordingId: r.id, path: r.path, sha256: r.sha256, reason: 'changed' });
    }
  }
  return missing;
}

export interface Relinked {
  recordingId: string;
  from: string;
  to: string;
  /** `sha256`: same content; `name`: same file name but different content (the user should check). */
  matchedBy: 'sha256' | 'name';
}

export interface RelinkResult {
  session: Session;
  relinked: Relinked[];
  stillMissing: MissingAudio[];
}

const AUDIO = /\.(wav|flac|mp3|ogg|opus|m4a|aac|webm|sph)$/i;
const MAX_FILES = 200_000;

/**
 * Looks in `folder` (recursively) for the given missing recordings: first by content (a file
 * with the same sha256, whatever its name), then by file name alone. Files with a missing
 * recording's name are hashed first; other audio files only while something is still unmatched.
 */
export async function relinkAudio(session: Session, missing: readonly MissingAudio[], folder: string, options: { guard: PathGuard }): Promise<RelinkResult> {
  const root = options.guard.check(folder, 'the folder to search for audio');
  const files = await listAudio(root);
  const hashes = new Map<string, string>();
  const hashOf = async (path: string) => {
    if (!hashes.has(path)) hashes.set(path, await sha256File(path).catch(() => ''));
    return hashes.get(path) as string;
  };
  const byName = new Map<string, string[]>();
  for (const f of files) byName.set(basename(f), [...(byName.get(basename(f)) ?? []), f]);

  const found = new Map<string, Relinked>();
  for (const m of missing) {
    for (const candidate of byName.get(basename(m.path)) ?? []) {
      if ((await hashOf(candidate)) === m.sha256) {
        found.set(m.recordingId, { recordingId: m.recordingId, from: m.path, to: candidate, matchedBy: 'sha256' });
        break;
      }
    }
  }
  const wanted = new Map(missing.filter((m) => !found.has(m.recordingId)).map((m) => [m.sha256, m]));
  for (const f of files) {
    if (!wanted.size) break;
    const m = wanted.get(await hashOf(f));
    if (!m) continue;
    found.set(m.recordingId, { recordingId: m.recordingId, from: m.path, to: f, matchedBy: 'sha256' });
    wanted.delete(m.sha256);
  }
  for (const m of wanted.values()) {
    const sameName = byName.get(basename(m.path)) ?? [];
    if (sameName.length === 1) found.set(m.recordingId, { recordingId: m.recordingId, from: m.path, to: sameName[0], matchedBy: 'name' });
  }
  return {
    session: withPaths(session, found),
    relinked: [...found.values()],
    stillMissing: missing.filter((m) => !found.has(m.recordingId)),
  };
}

/** Points one recording at a file the user picked; says whether it is the same audio. */
export async function relinkRecording(session: Session, recordingId: string, file: string, options: { guard: PathGuard }): Promise<{ session: Session; relinked: Relinked }> {
  const recording = session.recordings.find((r) => r.id === recordingId);
  if (!recording) throw new SessionError('unknown-recording', file, `the session has no recording "${recordingId}"`);
  const path = options.guard.check(file, 'the audio file');
  const hash = await sha256File(path).catch((err: unknown) => {
    throw fsProblem(err, path, 'reading the audio');
  });
  const relinked: Relinked = { recordingId, from: recording.path, to: path, matchedBy: hash === recording.sha256 ? 'sha256' : 'name' };
  return { session: withPaths(session, new Map([[recordingId, relinked]])), relinked };
}

/** The new path; the sha256 stays the one the results were computed on, so a content change stays visible. */
function withPaths(session: Session, found: Map<string, Relinked>): Session {
  const recordings = session.recordings.map((r): SessionRecording => (found.has(r.id) ? { ...r, path: (found.get(r.id) as Relinked).to } : r));
  return { ...session, recordings };
}

async function listAudio(root: string): Promise<string[]> {
  const out: string[] = [];
  const queue = [root];
  while (queue.length && out.length < MAX_FILES) {
    const dir = queue.shift() as string;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (dir === root) throw fsProblem(err, root, 'listing the folder');
      continue; // an unreadable subfolder should not stop the search
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) queue.push(join(dir, e.name));
      else if (AUDIO.test(e.name)) out.push(join(dir, e.name));
    }
  }
  return out;
}
