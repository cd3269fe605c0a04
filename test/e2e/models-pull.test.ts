import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root, startServe, type ServedApp } from './harness';
import { connectApiClient } from './api-client';
import { startArchiveServer, tarBz2Of, type ArchiveServer } from './archive-server';
import type { EarshotApi } from '../../src/shared/api';

const run = promisify(execFile);
const cli = join(root, 'bin', 'earshot.js');
const tinyModel = join(root, 'test', 'fixtures', 'tiny-model');
const work = mkdtempSync(join(tmpdir(), 'earshot-pull-'));
const modelsDir = join(work, 'models');
const catalogFile = join(work, 'catalog.json');
let server: ArchiveServer;
let archive: Buffer;

/** A catalog like the shipped one, whose archives the loopback server holds (or lacks). */
function writeCatalog(names: string[]): void {
  const models = names.map((name) => ({
    name,
    archive: `${name}.tar.bz2`,
    archiveBytes: null,
    licence: 'Apache-2.0',
    modelType: 'lstm',
    languages: ['en'],
    source: 'test fixture built from test/fixtures/tiny-model',
  }));
  writeFileSync(catalogFile, JSON.stringify({ format: 'earshot-model-catalog', version: 1, baseUrl: 'https://example.invalid/never-used/', models }));
}

function earshot(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, EARSHOT_MODELS_DIR: modelsDir, EARSHOT_CATALOG: catalogFile, EARSHOT_CATALOG_URL: server.baseUrl };
  return run(process.execPath, [cli, ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

/** What must never be left in the models folder: half-extracted or half-removed folders. */
const leftovers = (): string[] => (existsSync(modelsDir) ? readdirSync(modelsDir).filter((n) => n.startsWith('.extract-') || n.startsWith('.remove-')) : []);

beforeAll(async () => {
  server = await startArchiveServer();
  archive = await tarBz2Of(tinyModel, 'earshot-tiny');
  writeCatalog(['earshot-tiny', 'earshot-cut', 'earshot-corrupt', 'earshot-gone', 'earshot-slow']);
});

afterAll(async () => {
  await server?.close();
});

describe('earshot models, against a loopback release server', () => {
  it('lists the shipped catalog of published streaming transducers', async () => {
    const { stdout } = await run(process.execPath, [cli, 'models', 'list'], { env: { ...process.env, EARSHOT_MODELS_DIR: modelsDir } });
    expect(stdout).toContain('sherpa-onnx-streaming-zipformer-en-2023-06-26');
    expect(stdout).toMatch(/zipformer2 · en · Apache-2.0 · size unknown/);
    expect(stdout).toContain('sherpa-onnx-lstm-en-2023-02-17');
    expect(stdout).toContain('https://github.com/k2-fsa/sherpa-onnx/releases/download/asr-models/');
    expect(stdout).toMatch(/earshot-rnnt \(shipped/);
  });

  it('pulls a model that then decodes exactly as the folder it was packed from', async () => {
    server.files.set('releases/earshot-tiny.tar.bz2', { bytes: archive });
    const pulled = await earshot(['models', 'pull', 'earshot-tiny']);
    expect(pulled.stderr).not.toMatch(/earshot: /);
    expect(pulled.code).toBe(0);
    const installed = join(modelsDir, 'earshot-tiny');
    expect(pulled.stdout).toContain(`installed earshot-tiny → ${installed}`);
    expect(readFileSync(join(installed, 'model.json'))).toEqual(readFileSync(join(tinyModel, 'model.json')));
    expect(leftovers()).toEqual([]);
    expect(readdirSync(join(modelsDir, '.downloads'))).toEqual(['sha256.json']);
    const hashes = JSON.parse(readFileSync(join(modelsDir, '.downloads', 'sha256.json'), 'utf8')) as Record<string, { sha256: string; bytes: number }>;
    expect(hashes['earshot-tiny'].bytes).toBe(archive.length);

    const decode = async (model: string, out: string) => {
      const r = await earshot(['decode', tinyModel, '--out', out, '--model', model, '--beam', '1']);
      expect(r.code).toBe(0);
      const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; hyp: string; model: { dir: string; sha256: string; decoding: { beam: number } } });
      return lines.sort((a, b) => a.id.localeCompare(b.id));
    };
    const fromPull = await decode(installed, join(work, 'pulled.jsonl'));
    const fromFixture = await decode(tinyModel, join(work, 'fixture.jsonl'));
    expect(fromPull.map((l) => l.hyp)).toEqual(fromFixture.map((l) => l.hyp));
    expect(fromPull[0].hyp).toMatch(/^set the/);
    // The content hash names the model wherever it lies; the folder says where it was.
    expect(fromPull[0].model.sha256).toBe(fromFixture[0].model.sha256);
    expect(fromPull[0].model.dir).toBe(installed);
    expect(fromPull[0].model.decoding.beam).toBe(1);

    const listed = await earshot(['models', 'list']);
    expect(listed.stdout).toMatch(/earshot-tiny\n\s+lstm · en · Apache-2.0 · size unknown · installed/);
    expect(listed.stdout).toMatch(/earshot-tiny \(user, 0\.\d MiB\)\n\s+lstm · 29 tokens · 320 ms chunks/);
  });

  it('resumes an interrupted download from where it broke off', async () => {
    const cutAt = Math.floor(archive.length / 2);
    server.files.set('releases/earshot-cut.tar.bz2', { bytes: archive, cutAfter: cutAt });
    const first = await earshot(['models', 'pull', 'earshot-cut']);
    expect(first.code).not.toBe(0);
    expect(first.stderr).toMatch(/resume/);
    // Every byte that arrived before the break is kept.
    const kept = statSync(join(modelsDir, '.downloads', 'earshot-cut.tar.bz2.part')).size;
    expect(kept).toBe(cutAt);
    expect(existsSync(join(modelsDir, 'earshot-cut'))).toBe(false);

    const second = await earshot(['models', 'pull', 'earshot-cut']);
    expect(second.code).toBe(0);
    const ranges = server.requests.filter((r) => r.path === 'releases/earshot-cut.tar.bz2').map((r) => r.range);
    expect(ranges).toEqual([undefined, `bytes=${kept}-`]);
    expect(existsSync(join(modelsDir, 'earshot-cut', 'tokens.txt'))).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('refuses a corrupt archive and leaves nothing behind', async () => {
    const corrupt = Buffer.from(archive);
    for (let i = 0; i < 64; i++) corrupt[Math.floor(corrupt.length / 2) + i] ^= 0xff;
    server.files.set('releases/earshot-corrupt.tar.bz2', { bytes: corrupt });
    const r = await earshot(['models', 'pull', 'earshot-corrupt']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/earshot-corrupt\.tar\.bz2\.part is not a valid \.tar\.bz2/);
    expect(existsSync(join(modelsDir, 'earshot-corrupt'))).toBe(false);
    expect(existsSync(join(modelsDir, '.downloads', 'earshot-corrupt.tar.bz2.part'))).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('names a withdrawn archive (HTTP 404)', async () => {
    const r = await earshot(['models', 'pull', 'earshot-gone']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/earshot-gone\.tar\.bz2 was not found \(HTTP 404\)/);
    expect(existsSync(join(modelsDir, 'earshot-gone'))).toBe(false);
  });

  it('refuses an archive that differs from the one first downloaded under that name', async () => {
    const removed = await earshot(['models', 'remove', 'earshot-tiny']);
    expect(removed.stdout).toContain(`removed ${join(modelsDir, 'earshot-tiny')}`);
    expect(existsSync(join(modelsDir, 'earshot-tiny'))).toBe(false);
    const changedDir = join(work, 'changed');
    cpSync(tinyModel, changedDir, { recursive: true });
    writeFileSync(join(changedDir, 'NOTICE'), 'a different archive\n');
    server.files.set('releases/earshot-tiny.tar.bz2', { bytes: await tarBz2Of(changedDir, 'earshot-tiny') });
    const r = await earshot(['models', 'pull', 'earshot-tiny']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/but the copy first downloaded on .* had [0-9a-f]{64}/);
    expect(existsSync(join(modelsDir, 'earshot-tiny'))).toBe(false);
  });

  it('refuses to serve on a folder that is not a model, saying why', async () => {
    const r = await earshot(['serve', '--model', work]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/earshot: model directory .*: no encoder\*\.onnx and no model\.json/);
  });

  it('refuses to remove what is not a downloaded model', async () => {
    const r = await earshot(['models', 'remove', 'earshot-rnnt']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/no model "earshot-rnnt" in /);
    expect(existsSync(join(root, 'resources', 'models', 'earshot-rnnt', 'model.json'))).toBe(true);
  });
});

describe('pulling from the workbench API', () => {
  let app: ServedApp;
  let client: { api: EarshotApi; close(): void };

  beforeAll(async () => {
    app = await startServe([], { EARSHOT_MODELS_DIR: modelsDir, EARSHOT_CATALOG: catalogFile, EARSHOT_CATALOG_URL: server.baseUrl, EARSHOT_CACHE: join(work, 'cache') });
    client = await connectApiClient(app.url);
  });

  afterAll(async () => {
    client?.close();
    await app?.stop();
  });

  it('reports progress, cancels keeping the bytes, and resumes to an installed model the list shows', async () => {
    const { api } = client;
    server.files.set('releases/earshot-slow.tar.bz2', { bytes: archive, trickle: { chunk: 16 * 1024, everyMs: 40 } });
    const seen: number[] = [];
    const pull = api.call('pullModel', { name: 'earshot-slow' }, (e) => {
      if (e.kind === 'progress' && e.message === 'download') {
        seen.push(e.done);
        if (e.done >= 64 * 1024) api.cancel('pull-slow');
      }
    }, 'pull-slow');
    await expect(pull).rejects.toMatchObject({ code: 'cancelled' });
    const part = join(modelsDir, '.downloads', 'earshot-slow.tar.bz2.part');
    const kept = statSync(part).size;
    expect(kept).toBeGreaterThanOrEqual(64 * 1024);
    expect(kept).toBeLessThan(archive.length);
    expect(existsSync(join(modelsDir, 'earshot-slow'))).toBe(false);

    server.files.set('releases/earshot-slow.tar.bz2', { bytes: archive });
    const phases = new Set<string>();
    const done = await api.call('pullModel', { name: 'earshot-slow' }, (e) => e.kind === 'progress' && phases.add(e.message ?? ''));
    expect([...phases]).toEqual(['download', 'verify', 'extract']);
    expect(server.requests.filter((r) => r.path === 'releases/earshot-slow.tar.bz2').at(-1)?.range).toBe(`bytes=${kept}-`);
    expect(done.listing).toMatchObject({ name: 'earshot-slow', source: 'user', summary: { modelType: 'lstm', vocabSize: 29, chunkMs: 320, sparsity: 0.5499, biasing: { attention: true, endOfQuery: true } } });
    const { models } = await api.call('listModels', {});
    expect(models.map((m) => `${m.source}:${m.name}`)).toEqual(expect.arrayContaining(['user:earshot-slow', 'user:earshot-cut', 'shipped:earshot-rnnt']));
    const catalog = await api.call('listCatalog', {});
    expect(catalog.models.find((m) => m.name === 'earshot-slow')).toMatchObject({ installed: true, supported: true, url: `${server.baseUrl}earshot-slow.tar.bz2` });
    await expect(api.call('pullModel', { name: '../escape' })).rejects.toMatchObject({ code: 'invalid-params' });
    await expect(api.call('removeModel', { name: 'earshot-slow' })).resolves.toEqual({ removed: join(modelsDir, 'earshot-slow') });
    expect(leftovers()).toEqual([]);
  });
});
