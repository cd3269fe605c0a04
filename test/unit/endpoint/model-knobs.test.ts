/**
 * A decode that names no end-pointers gets the app's pair, the final end-of-query rule at the model's own
 * threshold where its model.json names one (calibrated on the model's dev set by training/calibrate_eoq.py).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultEndpointKnobs, defaultKnobsPair, defaultSpeculativeKnobs } from '../../../src/engine/endpoint/endpoint-config';
import { modelDefaultKnobs } from '../../../src/engine/endpoint/model-knobs';

const tiny = join(__dirname, '..', '..', 'fixtures', 'tiny-model');
const dir = mkdtempSync(join(tmpdir(), 'earshot-model-knobs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function withThreshold(threshold: number): string {
  const meta = JSON.parse(readFileSync(join(tiny, 'model.json'), 'utf8')) as { eoq: Record<string, unknown> };
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...meta, eoq: { ...meta.eoq, default_threshold: threshold } }));
  return dir;
}

describe("the end-pointers a decode gets from its model", () => {
  it("put the final end-of-query rule at the model's own threshold and keep every other knob", () => {
    const pair = modelDefaultKnobs(withThreshold(0.94));
    expect(pair.final).toEqual({ ...defaultEndpointKnobs, eoqThreshold: 0.94 });
    expect(pair.speculative).toEqual(defaultSpeculativeKnobs);
    expect(defaultKnobsPair({ eoqThreshold: 0.94 })).toEqual(pair);
  });

  it("are the app's for a folder without model.json (a sherpa-onnx model) and for one whose model.json does not read", () => {
    const sherpa = mkdtempSync(join(dir, 'sherpa-'));
    copyFileSync(join(tiny, 'tokens.txt'), join(sherpa, 'tokens.txt'));
    expect(modelDefaultKnobs(sherpa)).toEqual({ speculative: defaultSpeculativeKnobs, final: defaultEndpointKnobs });
    writeFileSync(join(dir, 'model.json'), '{"format": "earshot-rnnt", ');
    expect(modelDefaultKnobs(dir)).toEqual(defaultKnobsPair());
  });
});
