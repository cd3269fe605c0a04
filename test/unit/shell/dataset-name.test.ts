import { describe, expect, it } from 'vitest';
import { datasetName } from '../../../src/host/dataset-name';

describe('the name a data set goes by', () => {
  it('is the folder for a folder', () => {
    expect(datasetName('/data/librivox-dev/', true)).toBe('librivox-dev');
  });
  it('is the folder of a manifest with a generic name', () => {
    expect(datasetName('/app/resources/demo/manifest.jsonl', false)).toBe('demo');
  });
  it('is the manifest or session file without its extension otherwise', () => {
    expect(datasetName('/data/names/dev-clean.jsonl', false)).toBe('dev-clean');
    expect(datasetName('/home/r/annotated.earshot.json', false)).toBe('annotated');
  });
});
