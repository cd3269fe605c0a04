import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256File } from '../../../src/engine/session/file-hash';
import { PathGuard } from '../../../src/engine/session/path-guard';
import { findMissingAudio, relinkAudio, relinkRecording } from '../../../src/engine/session/relink';
import { sampleSession } from './session-fixtures';

let dir: string;
let guard: PathGuard;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-relink-'));
  guard = new PathGuard([dir]);
  await mkdir(join(dir, 'audio'));
  await writeFile(join(dir, 'audio', 'a.wav'), 'AAAA');
  await writeFile(join(dir, 'audio', 'b.wav'), 'BBBB');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function sessionOnDisk() {
  const session = sampleSession(join(dir, 'audio'));
  session.recordings[0].sha256 = await sha256File(join(dir, 'audio', 'a.wav'));
  session.recordings[1].sha256 = await sha256File(join(dir, 'audio', 'b.wav'));
  return session;
}

describe('missing audio', () => {
  it('reports moved and changed files', async () => {
    const session = await sessionOnDisk();
    expect(await findMissingAudio(session, { verifyHashes: true })).toEqual([]);
    await rm(join(dir, 'audio', 'a.wav'));
    await writeFile(join(dir, 'audio', 'b.wav'), 'changed');
    expect(await findMissingAudio(session, { verifyHashes: true })).toEqual([
      { recordingId: 'a', path: join(dir, 'audio', 'a.wav'), sha256: session.recordings[0].sha256, reason: 'missing' },
      { recordingId: 'b', path: join(dir, 'audio', 'b.wav'), sha256: session.recordings[1].sha256, reason: 'changed' },
    ]);
  });

  it('re-links by content even when renamed, and by name when content differs', async () => {
    const session = await sessionOnDisk();
    await mkdir(join(dir, 'moved', 'deep'), { recursive: true });
    await rename(join(dir, 'audio', 'a.wav'), join(dir, 'moved', 'deep', 'renamed.flac'));
    await rm(join(dir, 'audio', 'b.wav'));
    await writeFile(join(dir, 'moved', 'b.wav'), 'other content');
    const missing = await findMissingAudio(session);
    const result = await relinkAudio(session, missing, join(dir, 'moved'), { guard });
    expect(result.relinked).toEqual([
      { recordingId: 'a', from: join(dir, 'audio', 'a.wav'), to: join(dir, 'moved', 'deep', 'renamed.flac'), matchedBy: 'sha256' },
      { recordingId: 'b', from: join(dir, 'audio', 'b.wav'), to: join(dir, 'moved', 'b.wav'), matchedBy: 'name' },
    ]);
    expect(result.stillMissing).toEqual([]);
    expect(result.session.recordings.map((r) => r.path)).toEqual([join(dir, 'moved', 'deep', 'renamed.flac'), join(dir, 'moved', 'b.wav')]);
    expect(await findMissingAudio(result.session)).toEqual([]);
  });

  it('re-links one recording to a file the user picked, and refuses folders not opened', async () => {
    const session = await sessionOnDisk();
    const { relinked } = await relinkRecording(session, 'a', join(dir, 'audio', 'b.wav'), { guard });
    expect(relinked.matchedBy).toBe('name');
    await expect(relinkAudio(session, [], join(dir, '..'), { guard })).rejects.toThrow(/outside the folders you opened/);
  });
});
