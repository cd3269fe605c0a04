import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browseHandlers } from '../../../src/host/handlers/browse-handlers';
import type { JobContext } from '../../../src/host/job-context';

const base = mkdtempSync(join(tmpdir(), 'earshot-browse-'));
const root = join(base, 'home');
const outside = join(base, 'elsewhere');
mkdirSync(join(root, 'corpus', 'audio'), { recursive: true });
mkdirSync(outside);
writeFileSync(join(root, 'corpus', 'manifest.jsonl'), '');
writeFileSync(join(root, 'corpus', 'audio', 'a.wav'), '');
writeFileSync(join(root, 'corpus', 'run.earshot.json'), '{}');
writeFileSync(join(root, 'corpus', '.hidden'), '');
writeFileSync(join(outside, 'secret.txt'), '');
symlinkSync(outside, join(root, 'escape'));
symlinkSync(join(root, 'corpus'), join(root, 'corpus-link'));

const ctx = { paths: { browseRoots: [root] } } as unknown as JobContext;
const browse = (path?: string) => browseHandlers.browseFolder(path === undefined ? {} : { path }, ctx);

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('the folder browser', () => {
  it('starts at the first root, which has no parent to go up to', async () => {
    const listing = await browse();
    expect(listing.path).toBe(root);
    expect(listing.parent).toBeNull();
  });

  it('lists folders first, says what each file is, and hides dot files', async () => {
    const listing = await browse(join(root, 'corpus'));
    expect(listing.entries.map((e) => [e.name, e.kind])).toEqual([
      ['audio', 'folder'],
      ['manifest.jsonl', 'manifest'],
      ['run.earshot.json', 'session'],
    ]);
    expect(listing.parent).toBe(root);
  });

  it('refuses folders outside the roots, by path or through a symlink, and leaves links that lead out unlisted', async () => {
    await expect(browse(outside)).rejects.toThrow(/not inside a folder you allowed to browse/);
    await expect(browse(join(root, 'escape'))).rejects.toThrow(/not inside a folder you allowed to browse/);
    await expect(browse(join(root, 'corpus', '..', '..', 'elsewhere'))).rejects.toThrow(/--root/);
    const names = (await browse()).entries.map((e) => e.name);
    expect(names).toContain('corpus-link');
    expect(names).not.toContain('escape');
  });
});
