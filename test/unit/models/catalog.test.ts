import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiveUrl, catalogListing, findEntry, loadCatalog } from '../../../src/engine/models/catalog';

const shipped = join(__dirname, '../../../resources/model-catalog.json');
const dir = mkdtempSync(join(tmpdir(), 'earshot-catalog-'));

function catalogFile(models: unknown[]): string {
  const file = join(dir, `catalog-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ format: 'earshot-model-catalog', version: 1, baseUrl: 'https://example.org/asr-models/', models }));
  return file;
}

const entry = { name: 'm', archive: 'm.tar.bz2', archiveBytes: null, licence: null, modelType: 'lstm', languages: ['en'], source: 'test' };

describe('the model catalog', () => {
  it('ships sherpa-onnx streaming English transducers from the asr-models release, each archive named after its model', async () => {
    const catalog = await loadCatalog(shipped);
    expect(catalog.baseUrl).toBe('https://github.com/k2-fsa/sherpa-onnx/releases/download/asr-models/');
    expect(catalog.models.map((m) => m.name)).toContain('sherpa-onnx-streaming-zipformer-en-2023-06-26');
    for (const m of catalog.models) {
      expect(m.archive).toBe(`${m.name}.tar.bz2`);
      expect(m.languages).toContain('en');
      // A size or licence the sources do not state is null, and a note says so.
      if (m.archiveBytes === null) expect(m.sizeNote).toBeTruthy();
      if (m.licence === null) expect(m.licenceNote).toBeTruthy();
    }
    expect(archiveUrl(catalog, findEntry(catalog, 'sherpa-onnx-lstm-en-2023-02-17'))).toBe(
      'https://github.com/k2-fsa/sherpa-onnx/releases/download/asr-models/sherpa-onnx-lstm-en-2023-02-17.tar.bz2',
    );
  });

  it('downloads from an overriding base URL, with or without its trailing slash', async () => {
    const catalog = await loadCatalog(catalogFile([entry]));
    expect(archiveUrl(catalog, catalog.models[0], 'http://127.0.0.1:9/mirror')).toBe('http://127.0.0.1:9/mirror/m.tar.bz2');
    expect(archiveUrl(catalog, catalog.models[0], 'http://127.0.0.1:9/mirror/')).toBe('http://127.0.0.1:9/mirror/m.tar.bz2');
  });

  it('marks entries installed in either folder, and whether the runtime decodes their type', async () => {
    const folders = { user: join(dir, 'user'), shipped: join(dir, 'shipped') };
    mkdirSync(join(folders.shipped, 'b'), { recursive: true });
    const catalog = await loadCatalog(catalogFile([entry, { ...entry, name: 'b', archive: 'b.tar.bz2', modelType: 'paraformer' }]));
    expect(catalogListing(catalog, folders).map((m) => [m.name, m.installed, m.supported])).toEqual([
      ['m', false, true],
      ['b', true, false],
    ]);
  });

  it('names what is wrong with a malformed catalog', async () => {
    await expect(loadCatalog(catalogFile([{ ...entry, name: '../up' }]))).rejects.toThrow(/models\.0\.name: a model name has only letters/);
    await expect(loadCatalog(catalogFile([{ ...entry, archive: 'sub/m.tar.bz2' }]))).rejects.toThrow(/models\.0\.archive: an archive is a plain file name/);
    await expect(loadCatalog(catalogFile([entry, entry]))).rejects.toThrow(/lists "m" twice/);
    await expect(loadCatalog(join(dir, 'none.json'))).rejects.toThrow(/cannot read the model catalog .*none\.json/);
    expect(() => findEntry({ format: 'earshot-model-catalog', version: 1, baseUrl: 'https://x/', models: [entry] }, 'x')).toThrow(/"x" is not in the model catalog \(it has m\)/);
  });
});
