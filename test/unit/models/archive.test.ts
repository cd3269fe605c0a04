import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractTarBz2, missingModelFiles } from '../../../src/engine/models/archive';

/** A .tar.bz2 made by the system's tar and bzip2 (Debian's tar and bzip2 packages), as publishers make them. */
function archiveOf(stage: string, members: string[], extra: string[] = []): string {
  const out = join(mkdtempSync(join(tmpdir(), 'earshot-tar-')), 'a.tar.bz2');
  execFileSync('tar', ['-cjf', out, ...extra, '-C', stage, ...members]);
  return out;
}

describe('extracting a model archive', () => {
  it('unpacks the one top folder’s contents and returns the files', async () => {
    const stage = mkdtempSync(join(tmpdir(), 'earshot-stage-'));
    mkdirSync(join(stage, 'model', 'test_wavs'), { recursive: true });
    writeFileSync(join(stage, 'model', 'tokens.txt'), '<blk> 0\n');
    writeFileSync(join(stage, 'model', 'test_wavs', '0.wav'), 'RIFF');
    const dest = join(mkdtempSync(join(tmpdir(), 'earshot-dest-')), 'out');
    const files = await extractTarBz2(archiveOf(stage, ['model']), dest);
    expect(files.sort()).toEqual(['test_wavs/0.wav', 'tokens.txt']);
    expect(readdirSync(dest).sort()).toEqual(['test_wavs', 'tokens.txt']);
  });

  it('refuses links and entries outside the top folder, naming them', async () => {
    const stage = mkdtempSync(join(tmpdir(), 'earshot-stage-'));
    mkdirSync(join(stage, 'model'));
    mkdirSync(join(stage, 'other'));
    writeFileSync(join(stage, 'model', 'tokens.txt'), '<blk> 0\n');
    writeFileSync(join(stage, 'other', 'x'), 'x');
    symlinkSync('/etc/passwd', join(stage, 'model', 'link'));
    const dest = join(mkdtempSync(join(tmpdir(), 'earshot-dest-')), 'out');
    await expect(extractTarBz2(archiveOf(stage, ['model', 'other']), dest)).rejects.toThrow(/model\/link: a SymbolicLink entry.*other\/x: outside the archive's top folder "model"/s);
    expect(existsSync(join(dest, 'link'))).toBe(false);
  });

  it('refuses what is not bzip2', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'earshot-tar-')), 'a.tar.bz2');
    writeFileSync(file, 'not an archive at all');
    await expect(extractTarBz2(file, join(tmpdir(), 'earshot-never'))).rejects.toThrow(/is not a valid \.tar\.bz2/);
  });

  it('names the files a model folder lacks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-files-'));
    expect(missingModelFiles(dir)).toEqual(['tokens.txt', 'encoder*.onnx', 'decoder*.onnx', 'joiner*.onnx']);
    for (const f of ['tokens.txt', 'encoder-epoch-99.onnx', 'decoder-epoch-99.int8.onnx']) writeFileSync(join(dir, f), '');
    expect(missingModelFiles(dir)).toEqual(['joiner*.onnx']);
  });
});
