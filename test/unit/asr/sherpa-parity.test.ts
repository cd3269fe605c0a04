/**
 * The icefall-exported fixtures (test/fixtures/models/<model_type>, made by
 * scripts/transducer-fixtures) decode in Earshot exactly as in sherpa-onnx-node: the same
 * tokens on the same encoder frames, and the same trailing blanks (the end-pointer's input), in greedy and in modified beam search (4 paths), one
 * symbol per frame. The five demo recordings are decoded one by one and as one stream
 * (20 or more chunks for every chunk size, the encoder state carried across all of them);
 * a few real recordings from ../shared join in when it is there.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSamples } from '../../../src/engine/asr/decode-utterance';
import { TransducerModel } from '../../../src/engine/asr/transducer-model';
import { decodeAudioFile } from '../../../src/engine/audio/decode-audio';
import { concat } from '../../../src/engine/audio/resample';
import { contextFromNames } from '../../../src/engine/bias/context-list';
import { sherpaDecode, sherpaHotwords, sherpaRecognizer, type SherpaMethod } from './sherpa-reference';

const MODELS = join(__dirname, '../../fixtures/models');
const DEMO = join(__dirname, '../../../resources/demo');
const REAL = join(__dirname, '../../../../shared/data/real-speech');
const MODEL_TYPES = ['zipformer2', 'zipformer', 'lstm', 'conformer'];
/** Words of the fixtures' training vocabulary, one a two-word phrase so that partial matches happen. */
const HOTWORDS = ['yes', 'stop', 'go on', 'three', 'right', 'eight'];

interface Clip {
  name: string;
  samples: Float32Array;
}

async function load(path: string): Promise<Float32Array> {
  return (await decodeAudioFile(path, { targetRate: 16000 })).samples;
}

/** Up to three of the real recordings, shortest first (none when ../shared is absent). */
async function realClips(): Promise<Clip[]> {
  const manifest = join(REAL, 'manifest.jsonl');
  if (!existsSync(manifest)) return [];
  const rows = readFileSync(manifest, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { audio: string; duration: number })
    .filter((r) => r.duration <= 8)
    .sort((a, b) => a.duration - b.duration)
    .slice(0, 3);
  return Promise.all(rows.map(async (r) => ({ name: `real ${r.audio}`, samples: await load(join(REAL, r.audio)) })));
}

describe.each(MODEL_TYPES)('%s fixture against sherpa-onnx-node', (modelType) => {
  const dir = join(MODELS, modelType);
  let model: TransducerModel;
  let clips: Clip[];

  beforeAll(async () => {
    model = TransducerModel.load(dir);
    const demos = readdirSync(DEMO).filter((f) => f.endsWith('.wav')).sort();
    const demoClips = await Promise.all(demos.map(async (f) => ({ name: f, samples: await load(join(DEMO, f)) })));
    clips = [...demoClips, { name: 'all five demos as one stream', samples: concat(demoClips.map((c) => c.samples)) }, ...(await realClips())];
  });
  afterAll(() => model?.release());

  it('is the model_type its directory names, exported by icefall', () => {
    expect(model.spec.modelType).toBe(modelType);
    expect(model.spec.format).toBe('sherpa-onnx');
  });

  it('carries the encoder state across 20 or more chunks on the joined demos', () => {
    const joined = clips.find((c) => c.name.startsWith('all five'));
    const r = decodeSamples(model, joined!.samples, { beam: 1, maxSymbolsPerFrame: 1, finalChunk: 'drop' });
    expect(r.partials.length).toBeGreaterThanOrEqual(20);
  });

  const methods: [SherpaMethod, number][] = [
    ['greedy_search', 1],
    ['modified_beam_search', 4],
  ];
  for (const [method, beam] of methods) {
    it(`${method}: the same tokens on the same frames, every clip`, () => {
      const recognizer = sherpaRecognizer(model.spec, method, beam);
      let emitted = 0;
      for (const clip of clips) {
        const theirs = sherpaDecode(recognizer, clip.samples);
        const r = decodeSamples(model, clip.samples, { beam, maxSymbolsPerFrame: 1, finalChunk: 'drop' });
        const ours = r.nbest[0];
        expect({ clip: clip.name, symbols: ours.tokens.map((t) => t.symbol) }).toEqual({ clip: clip.name, symbols: theirs.symbols });
        expect({ clip: clip.name, frames: ours.tokens.map((t) => t.frame) }).toEqual({ clip: clip.name, frames: theirs.frames });
        const lastFrame = ours.tokens.at(-1)?.frame ?? -1;
        expect({ clip: clip.name, trailingBlanks: r.trace.numFrames - lastFrame - 1 }).toEqual({ clip: clip.name, trailingBlanks: theirs.trailingBlanks });
        emitted += theirs.symbols.length;
      }
      // A fixture that emits nothing would make the comparison empty.
      expect(emitted).toBeGreaterThan(0);
    });
  }
  it('modified_beam_search with hotwords: the same as sherpa-onnx until Earshot cancels unfinished matches at the end', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'earshot-hotwords-'));
    try {
      const file = join(tmp, 'hotwords.txt');
      writeFileSync(file, sherpaHotwords(HOTWORDS));
      const recognizer = sherpaRecognizer(model.spec, 'modified_beam_search', 4, { file, score: 1.5 });
      for (const clip of clips) {
        const theirs = sherpaDecode(recognizer, clip.samples);
        const r = decodeSamples(model, clip.samples, { beam: 4, maxSymbolsPerFrame: 1, finalChunk: 'drop', context: contextFromNames(HOTWORDS), fusionBoost: 1.5 });
        // sherpa-onnx's streaming search keeps the bonus of a phrase begun but not finished;
        // the last partial is Earshot's search before it takes such bonuses back.
        expect({ clip: clip.name, text: r.partials.at(-1)!.text }).toEqual({ clip: clip.name, text: theirs.text });
        if (r.hyp === theirs.text) {
          expect({ clip: clip.name, frames: r.nbest[0].tokens.map((t) => t.frame) }).toEqual({ clip: clip.name, frames: theirs.frames });
        }
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
