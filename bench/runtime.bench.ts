/**
 * Streaming transducer runtime on one thread: Earshot's decoder (fbank + encoder + search)
 * against sherpa-onnx-node on the same model files and audio.
 * Model: $EARSHOT_BENCH_MODEL, else resources/models/earshot-rnnt, else the tiny test fixture
 * (named in units.model).
 * Audio: resources/demo/*.wav, else the fixture's wavs. Each utterance gets 0.5 s of
 * trailing silence for both decoders, as sherpa-onnx's examples do, so that sherpa (which
 * drops an incomplete final chunk) sees the whole utterance too.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeSamples } from '../src/engine/asr/decode-utterance';
import { resolveModelDir } from '../src/engine/asr/model-dir';
import { TransducerModel } from '../src/engine/asr/transducer-model';
import { decodeAudioFile } from '../src/engine/audio/decode-audio';
import { sherpaDecode, sherpaRecognizer } from '../test/unit/asr/sherpa-reference';
import type { BenchOutput } from './run';

const root = fileURLToPath(new URL('..', import.meta.url));
const SHIPPED = join(root, 'resources/models/earshot-rnnt');
const FIXTURE = join(root, 'test/fixtures/tiny-model');
const TAIL_S = 0.5;
const REPEATS = 7;

function pickModel(): { dir: string; label: string } {
  const override = process.env.EARSHOT_BENCH_MODEL;
  if (override) return { dir: override, label: `${override} (EARSHOT_BENCH_MODEL)` };
  if (existsSync(join(SHIPPED, 'model.json'))) {
    try {
      resolveModelDir(SHIPPED);
      return { dir: SHIPPED, label: 'resources/models/earshot-rnnt' };
    } catch {
      // fall through to the fixture: a half-copied shipped model must not break the bench
    }
  }
  return { dir: FIXTURE, label: 'test/fixtures/tiny-model (shipped model missing)' };
}

function pickAudio(): { files: string[]; label: string } {
  const demo = join(root, 'resources/demo');
  const wavs = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.wav')).sort().map((f) => join(dir, f)) : []);
  const files = wavs(demo);
  return files.length > 0 ? { files, label: 'resources/demo/*.wav' } : { files: wavs(FIXTURE), label: 'test/fixtures/tiny-model/*.wav' };
}

function withTail(samples: Float32Array): Float32Array {
  const out = new Float32Array(samples.length + Math.round(TAIL_S * 16000));
  out.set(samples);
  return out;
}

type Decode = (samples: Float32Array) => string;

/**
 * Wall time of one pass over the set per system: the best of REPEATS rounds after a warm-up,
 * the systems interleaved within each round so that a burst of background load hits all alike.
 */
function timeSystems(systems: Record<string, Decode>, audio: Float32Array[]): Record<string, number> {
  const best: Record<string, number> = {};
  for (const [name, decode] of Object.entries(systems)) {
    for (const s of audio) decode(s);
    best[name] = Infinity;
  }
  for (let r = 0; r < REPEATS; r++) {
    for (const [name, decode] of Object.entries(systems)) {
      const t0 = performance.now();
      for (const s of audio) decode(s);
      best[name] = Math.min(best[name], (performance.now() - t0) / 1000);
    }
  }
  return best;
}

export default async function run(): Promise<BenchOutput> {
  const model = pickModel();
  const audioSet = pickAudio();
  const audio = await Promise.all(audioSet.files.map(async (f) => withTail((await decodeAudioFile(f, { targetRate: 16000 })).samples)));
  const audioS = audio.reduce((s, a) => s + a.length, 0) / 16000;
  const spec = resolveModelDir(model.dir);
  const variant = spec.variant;

  const quantised = TransducerModel.load(model.dir, { variant });
  const fp32 = TransducerModel.load(model.dir, { variant: 'fp32' });
  const rec = sherpaRecognizer(resolveModelDir(model.dir, { variant }), 'greedy_search');
  const seconds = timeSystems(
    {
      // Greedy as sherpa-onnx searches, one symbol per frame, whatever the model's own setting.
      greedy: (s) => decodeSamples(quantised, s, { beam: 1, maxSymbolsPerFrame: 1 }).hyp,
      beam4: (s) => decodeSamples(quantised, s, { beam: 4 }).hyp,
      greedyFp32: (s) => decodeSamples(fp32, s, { beam: 1, maxSymbolsPerFrame: 1 }).hyp,
      sherpa: (s) => sherpaDecode(rec, s).text,
    },
    audio,
  );
  // Agreement is judged on the frames both decoders see: sherpa drops an incomplete last chunk.
  const ours = audio.map((s) => decodeSamples(quantised, s, { beam: 1, maxSymbolsPerFrame: 1, finalChunk: 'drop' }).hyp);
  const theirs = audio.map((s) => sherpaDecode(rec, s).text);
  quantised.release();
  fp32.release();
  const agree = ours.filter((t, i) => t === theirs[i]).length / audio.length;
  if (process.env.EARSHOT_BENCH_VERBOSE) ours.forEach((t, i) => process.stderr.write(`earshot: ${t}\nsherpa:  ${theirs[i]}\n`));

  const rtf = (s: number): number => s / audioS;
  return {
    metrics: {
      rtf_greedy: rtf(seconds.greedy),
      rtf_beam4_lattice: rtf(seconds.beam4),
      rtf_greedy_fp32: rtf(seconds.greedyFp32),
      rtf_sherpa_onnx_node: rtf(seconds.sherpa),
      ratio_vs_sherpa: seconds.greedy / seconds.sherpa,
      agree_with_sherpa: agree,
      audio_s: audioS,
      utterances: audio.length,
    },
    units: {
      rtf_greedy: `wall/audio, 1 thread, ${variant} graphs, fbank + encoder + greedy (max 1 symbol/frame)`,
      rtf_beam4_lattice: `wall/audio, 1 thread, ${variant}, modified beam search k=4 (${spec.decoding.maxSymbolsPerFrame} symbol(s)/frame, the model's setting) + n-best + lattice + SLF`,
      rtf_greedy_fp32: 'wall/audio, 1 thread, fp32 graphs, greedy (max 1 symbol/frame)',
      rtf_sherpa_onnx_node: `wall/audio, sherpa-onnx-node OnlineRecognizer, greedy_search, numThreads 1, ${variant} graphs`,
      ratio_vs_sherpa: 'rtf_greedy / rtf_sherpa_onnx_node',
      agree_with_sherpa: `fraction of utterances with identical 1-best text (greedy, ${variant}, incomplete last chunk dropped as sherpa does)`,
      audio_s: 's (with 0.5 s tail silence per utterance)',
      utterances: 'count',
      model: model.label,
      audio: audioSet.label,
      timing: `best of ${REPEATS} interleaved rounds after a warm-up`,
    },
  };
}
