/**
 * Streaming transducer runtime against sherpa-onnx-node on the same model files and audio.
 * - Single stream, one thread (`ratio_vs_sherpa`): the shipped model (int8; else the tiny test
 *   fixture, named in units.model; $EARSHOT_BENCH_MODEL overrides) and the zipformer2 fixture,
 *   on resources/demo/*.wav, each utterance with 0.5 s of trailing silence for both decoders,
 *   greedy, one symbol per frame. sherpa-onnx drops an incomplete final chunk; Earshot by default
 *   decodes it (padded), one more encoder call per utterance, so the ratio is taken on the same
 *   chunks (finalChunk 'drop') and Earshot's default beside it (`*_pad`).
 * - The time split of a single-stream decode on both models (bench/runtime/time-split.ts), and
 *   of the shipped model's beam-4 decode with n-best, lattice and SLF.
 * - The joiner in WebAssembly (asr/wasm) against onnxruntime's (`wasmJoiner: false`): greedy and
 *   beam 4 with each, the beam's split with onnxruntime's joiner, and how many 1-best texts differ
 *   (bench/runtime/joiner-agreement.ts).
 * - Data-set throughput at two threads (`throughput_ratio_vs_sherpa`, bench/runtime/throughput.ts)
 *   on the 200 held-out utterances of bench/data/test-splits.
 * - Memory per live stream, and 300 one-second clips as Opus, MP3 and FLAC against WAV
 *   (`compressed_to_wav_time_ratio`, bench/runtime/compressed.ts).
 * The machine is shared: systems run interleaved round by round and every figure is a median
 * over rounds; `*_spread` says how far the rounds of one system were apart (max/min − 1).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeSamples } from '../src/engine/asr/decode-utterance';
import { resolveModelDir } from '../src/engine/asr/model-dir';
import { TransducerModel } from '../src/engine/asr/transducer-model';
import { decodeAudioFile } from '../src/engine/audio/decode-audio';
import { sherpaDecode, sherpaRecognizer } from '../test/unit/asr/sherpa-reference';
import { measureClips } from './runtime/compressed';
import { pickModel } from './runtime/pick-model';
import { interleavedRounds, median, medianRatio, spread } from './runtime/rounds';
import { memoryPerStream } from './runtime/stream-memory';
import { earshotPool, earshotThroughput, sherpaThroughput, sherpaThroughputRecognizer, THREADS } from './runtime/throughput';
import { textDiffs } from './runtime/joiner-agreement';
import { timeSplit } from './runtime/time-split';
import type { BenchOutput } from './run';

const root = fileURLToPath(new URL('..', import.meta.url));
const ZIPFORMER2 = join(root, 'test/fixtures/models/zipformer2');
const SPLITS = join(root, 'bench/data/test-splits');
const TAIL_S = 0.5;
const SINGLE_ROUNDS = 15;
/** The zipformer2 ratio sits near 1 and its rounds are ~0.2 s: more of them, for a steadier median. */
const ZIPFORMER2_ROUNDS = 25;
const THROUGHPUT_ROUNDS = 5;
const CLIP_ROUNDS = 5;
const BATCH_STREAMS = 8;
/**
 * The samples carry their tail padding (TAIL_S, as sherpa-onnx's file tools add it), so every decode here adds
 * none of its own (the model's `decode.tail_padding_s`): both runtimes see the same samples.
 */
const NO_PADDING = { tailPaddingS: 0 } as const;
/** Greedy, 1 symbol per frame, on the chunks sherpa-onnx decodes (it drops an incomplete last one). */
const SAME_CHUNKS = { beam: 1, maxSymbolsPerFrame: 1, finalChunk: 'drop', ...NO_PADDING } as const;
/** Greedy on the chunks Earshot decodes by default (the incomplete last one padded). */
const GREEDY_PAD = { beam: 1, maxSymbolsPerFrame: 1, ...NO_PADDING } as const;
/** Modified beam search as a user gets it: 4 paths, the model's symbols per frame, n-best, lattice, padded last chunk. */
const BEAM4 = { beam: 4, ...NO_PADDING } as const;

function withTail(samples: Float32Array): Float32Array {
  const out = new Float32Array(samples.length + Math.round(TAIL_S * 16000));
  out.set(samples);
  return out;
}

async function demoAudio(): Promise<Float32Array[]> {
  const demo = join(root, 'resources/demo');
  const files = readdirSync(demo).filter((f) => f.endsWith('.wav')).sort();
  return Promise.all(files.map(async (f) => withTail((await decodeAudioFile(join(demo, f))).samples)));
}

async function splitAudio(): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const split of ['test_cmd', 'test_open']) {
    const lines = readFileSync(join(SPLITS, split, 'manifest.jsonl'), 'utf8').trim().split('\n');
    for (const line of lines) out.push(withTail((await decodeAudioFile(join(SPLITS, split, (JSON.parse(line) as { audio: string }).audio))).samples));
  }
  return out;
}

const seconds = (audio: readonly Float32Array[]): number => audio.reduce((n, a) => n + a.length, 0) / 16000;
const agreement = (a: readonly string[], b: readonly string[]): number => a.filter((t, i) => t === b[i]).length / a.length;

/**
 * Earshot greedy against sherpa-onnx on one model, single stream, one thread. `extra`: beam 4
 * and fp32 beside it; `exported`: Earshot on the encoder graph as exported too, not the one
 * rewritten for a single stream (single-stream-graph.ts), to show what the rewrite gives.
 */
async function singleStream(dir: string, audio: Float32Array[], extra: boolean, exported = false, rounds = SINGLE_ROUNDS) {
  const spec = resolveModelDir(dir);
  const model = TransducerModel.load(dir, { variant: spec.variant });
  const fp32 = extra && spec.variant !== 'fp32' ? TransducerModel.load(dir, { variant: 'fp32' }) : null;
  const onnxJoiner = extra ? TransducerModel.load(dir, { variant: spec.variant, wasmJoiner: false }) : null;
  const asExported = exported ? TransducerModel.load(dir, { variant: spec.variant, singleStreamGraph: false }) : null;
  const rec = sherpaRecognizer(spec, 'greedy_search');
  const over = (decode: (s: Float32Array) => unknown) => () => audio.forEach((s) => decode(s));
  const systems: Record<string, () => unknown> = {
    greedy: over((s) => decodeSamples(model, s, SAME_CHUNKS)),
    greedyPad: over((s) => decodeSamples(model, s, GREEDY_PAD)),
    sherpa: over((s) => sherpaDecode(rec, s)),
  };
  if (extra) systems.beam4 = over((s) => decodeSamples(model, s, BEAM4));
  if (onnxJoiner) {
    systems.greedyOnnxJoiner = over((s) => decodeSamples(onnxJoiner, s, SAME_CHUNKS));
    systems.beam4OnnxJoiner = over((s) => decodeSamples(onnxJoiner, s, BEAM4));
  }
  if (fp32) systems.greedyFp32 = over((s) => decodeSamples(fp32, s, GREEDY_PAD));
  if (asExported) systems.greedyExported = over((s) => decodeSamples(asExported, s, SAME_CHUNKS));
  const timed = await interleavedRounds(systems, rounds);
  // Agreement is judged on the frames both decoders see: sherpa drops an incomplete last chunk.
  const ours = audio.map((s) => decodeSamples(model, s, SAME_CHUNKS).hyp);
  const theirs = audio.map((s) => sherpaDecode(rec, s).text);
  fp32?.release();
  asExported?.release();
  return { spec, model, onnxJoiner, rounds: timed, agree: agreement(ours, theirs) };
}

export default async function run(): Promise<BenchOutput> {
  const load = [loadavg()[0]];
  const picked = pickModel();
  const demo = await demoAudio();
  const demoS = seconds(demo);
  const rtf = (s: number[]): number => median(s) / demoS;
  const ratio = (r: { cpu: Record<string, number[]> }, a: string, b: string): number => medianRatio(r.cpu[a], r.cpu[b]);
  const ratioSpread = (r: { cpu: Record<string, number[]> }, a: string, b: string): number => spread(r.cpu[a].map((v, i) => v / r.cpu[b][i]));

  const shipped = await singleStream(picked.dir, demo, true);
  // Measured before the throughput and clip parts leave garbage behind.
  const streamBytes = await memoryPerStream(shipped.model, demo[0]);
  const zip = await singleStream(ZIPFORMER2, demo, false, true, ZIPFORMER2_ROUNDS);
  const zipSplit = timeSplit(zip.model, demo, 7, SAME_CHUNKS);
  zip.model.release();
  load.push(loadavg()[0]);

  const split = timeSplit(shipped.model, demo, 7, SAME_CHUNKS);
  const beamSplit = timeSplit(shipped.model, demo, 7, BEAM4);
  const onnxJoiner = shipped.onnxJoiner as TransducerModel;
  const beamSplitOnnx = timeSplit(onnxJoiner, demo, 7, BEAM4);

  // Throughput: the model's own graphs in two worker threads against sherpa at two threads.
  const corpus = await splitAudio();
  const everything = [...demo, ...corpus];
  const joinerTextDiffs = {
    greedy: textDiffs(shipped.model, onnxJoiner, everything, { beam: 1, ...NO_PADDING }),
    beam4: textDiffs(shipped.model, onnxJoiner, everything, BEAM4),
  };
  onnxJoiner.release();
  const pool = earshotPool();
  const sherpaMulti = sherpaThroughputRecognizer(shipped.spec);
  const oneByOne = corpus.map((s) => decodeSamples(shipped.model, s, GREEDY_PAD).hyp);
  let batchedHyps: string[] = [];
  let sherpaHyps: string[] = [];
  const tp = await interleavedRounds(
    {
      earshot: async () => (batchedHyps = await earshotThroughput(pool, shipped.spec, corpus, BATCH_STREAMS)),
      sherpa: () => (sherpaHyps = sherpaThroughput(sherpaMulti, corpus, BATCH_STREAMS)),
    },
    THROUGHPUT_ROUNDS,
  );
  await pool.close();
  load.push(loadavg()[0]);

  // Compressed clips against WAV, formats interleaved round by round.
  const clips = await measureClips(shipped.model, CLIP_ROUNDS);
  load.push(loadavg()[0]);
  shipped.model.release();

  const r = shipped.rounds;
  const z = zip.rounds;
  const corpusUtterances = corpus.length;
  const total = split.total;
  return {
    metrics: {
      rtf_greedy: rtf(r.cpu.greedy),
      rtf_beam4_lattice: rtf(r.cpu.beam4),
      ...(r.cpu.greedyFp32 ? { rtf_greedy_fp32: rtf(r.cpu.greedyFp32) } : {}),
      rtf_sherpa_onnx_node: rtf(r.cpu.sherpa),
      ratio_vs_sherpa: ratio(r, 'greedy', 'sherpa'),
      ratio_vs_sherpa_spread: ratioSpread(r, 'greedy', 'sherpa'),
      ratio_vs_sherpa_wall: medianRatio(r.wall.greedy, r.wall.sherpa),
      ratio_vs_sherpa_pad: ratio(r, 'greedyPad', 'sherpa'),
      ratio_vs_sherpa_pad_spread: ratioSpread(r, 'greedyPad', 'sherpa'),
      beam4_to_greedy: ratio(r, 'beam4', 'greedy'),
      beam4_to_greedy_spread: ratioSpread(r, 'beam4', 'greedy'),
      beam4_to_greedy_pad: ratio(r, 'beam4', 'greedyPad'),
      beam4_to_greedy_onnx_joiner: ratio(r, 'beam4OnnxJoiner', 'greedyOnnxJoiner'),
      beam4_to_greedy_onnx_joiner_spread: ratioSpread(r, 'beam4OnnxJoiner', 'greedyOnnxJoiner'),
      wasm_joiner_gain_beam4: ratio(r, 'beam4', 'beam4OnnxJoiner'),
      wasm_joiner_gain_greedy: ratio(r, 'greedy', 'greedyOnnxJoiner'),
      wasm_joiner_text_diffs_greedy: joinerTextDiffs.greedy,
      wasm_joiner_text_diffs_beam4: joinerTextDiffs.beam4,
      agree_with_sherpa: shipped.agree,
      ratio_vs_sherpa_zipformer2: ratio(z, 'greedy', 'sherpa'),
      ratio_vs_sherpa_zipformer2_spread: ratioSpread(z, 'greedy', 'sherpa'),
      ratio_vs_sherpa_zipformer2_wall: medianRatio(z.wall.greedy, z.wall.sherpa),
      ratio_vs_sherpa_zipformer2_pad: ratio(z, 'greedyPad', 'sherpa'),
      ratio_vs_sherpa_zipformer2_pad_spread: ratioSpread(z, 'greedyPad', 'sherpa'),
      ratio_vs_sherpa_zipformer2_exported_graph: ratio(z, 'greedyExported', 'sherpa'),
      single_stream_graph_gain_zipformer2: ratio(z, 'greedy', 'greedyExported'),
      rtf_greedy_zipformer2: rtf(z.cpu.greedy),
      rtf_sherpa_zipformer2: rtf(z.cpu.sherpa),
      agree_with_sherpa_zipformer2: zip.agree,
      split_features: split.features / total,
      split_encoder: split.encoder / total,
      split_decoder: split.decoder / total,
      split_joiner: split.joiner / total,
      split_search: split.search / total,
      split_rtf_total: total,
      calls_encoder: split.calls.encoder,
      calls_decoder: split.calls.decoder,
      calls_joiner: split.calls.joiner,
      split_beam4_features: beamSplit.features / beamSplit.total,
      split_beam4_encoder: beamSplit.encoder / beamSplit.total,
      split_beam4_decoder: beamSplit.decoder / beamSplit.total,
      split_beam4_joiner: beamSplit.joiner / beamSplit.total,
      split_beam4_search: beamSplit.search / beamSplit.total,
      split_beam4_rtf_total: beamSplit.total,
      calls_beam4_encoder: beamSplit.calls.encoder,
      calls_beam4_decoder: beamSplit.calls.decoder,
      calls_beam4_joiner: beamSplit.calls.joiner,
      split_beam4_joiner_onnx: beamSplitOnnx.joiner / beamSplitOnnx.total,
      split_beam4_rtf_total_onnx: beamSplitOnnx.total,
      split_features_zipformer2: zipSplit.features / zipSplit.total,
      split_encoder_zipformer2: zipSplit.encoder / zipSplit.total,
      split_search_zipformer2: (zipSplit.decoder + zipSplit.joiner + zipSplit.search) / zipSplit.total,
      calls_encoder_zipformer2: zipSplit.calls.encoder,
      memory_per_stream_kb: streamBytes / 1024,
      throughput_utt_per_s: corpusUtterances / median(tp.wall.earshot),
      throughput_sherpa_utt_per_s: corpusUtterances / median(tp.wall.sherpa),
      throughput_ratio_vs_sherpa: medianRatio(tp.wall.sherpa, tp.wall.earshot),
      throughput_spread: spread(tp.wall.earshot.map((v, i) => tp.wall.sherpa[i] / v)),
      throughput_ratio_vs_sherpa_cpu: medianRatio(tp.cpu.sherpa, tp.cpu.earshot),
      batched_agree_with_single: agreement(batchedHyps, oneByOne),
      batched_agree_with_sherpa: agreement(batchedHyps, sherpaHyps),
      ...clips.metrics,
      audio_s: demoS,
      utterances: demo.length,
      corpus_utterances: corpusUtterances,
      corpus_audio_s: seconds(corpus),
      load_average_min: Math.min(...load),
      load_average_max: Math.max(...load),
    },
    units: {
      rtf_greedy: `CPU s/audio s, 1 thread, ${shipped.spec.variant} graphs, fbank + encoder + greedy (max 1 symbol/frame), the chunks sherpa-onnx decodes; median of ${SINGLE_ROUNDS} interleaved rounds`,
      rtf_beam4_lattice: `CPU s/audio s, 1 thread, modified beam search k=4 (${shipped.spec.decoding.maxSymbolsPerFrame} symbol(s)/frame, the model's setting) + n-best + lattice + SLF`,
      rtf_greedy_fp32: 'CPU s/audio s, 1 thread, fp32 graphs, greedy (max 1 symbol/frame)',
      rtf_sherpa_onnx_node: `CPU s/audio s, sherpa-onnx-node OnlineRecognizer, greedy_search, numThreads 1, ${shipped.spec.variant} graphs`,
      ratio_vs_sherpa: 'median over rounds of Earshot greedy / sherpa-onnx greedy CPU time, same files, same chunks (Earshot with finalChunk drop, as sherpa), 1 thread, both in this process (≤ 1: Earshot is faster)',
      ratio_vs_sherpa_pad: "the same with Earshot's default finalChunk pad: one encoder call more per utterance than sherpa-onnx makes (it decodes the padded last chunk sherpa drops)",
      ratio_vs_sherpa_wall: 'the same ratio of wall times (moves with the other load on the machine)',
      beam4_to_greedy: 'median over rounds of the CPU time of beam 4 with n-best, lattice and SLF / greedy (1 symbol/frame, the chunks sherpa-onnx decodes)',
      beam4_to_greedy_spread: 'max/min − 1 of that ratio over the rounds',
      beam4_to_greedy_pad: "the same against greedy with Earshot's default finalChunk pad, the chunks beam 4 decodes (one encoder call more per utterance)",
      beam4_to_greedy_onnx_joiner: "beam4_to_greedy with onnxruntime's joiner (wasmJoiner: false) in both decodes, interleaved in the same rounds",
      wasm_joiner_gain_beam4: 'median over rounds of the CPU time of beam 4 with the WebAssembly joiner / with onnxruntime’s (< 1: the kernel is faster); wasm_joiner_gain_greedy: the same for greedy',
      wasm_joiner_text_diffs_greedy: `utterances of the demo set and bench/data/test-splits (${demo.length + corpus.length}) whose 1-best text differs between the WebAssembly joiner and onnxruntime's, greedy with the model's symbols per frame; _beam4: beam 4`,
      joiner_runtime: shipped.model.joinerRuntime,
      split_beam4_joiner_onnx: "the joiner's share of the instrumented beam-4 decode with onnxruntime's joiner; split_beam4_rtf_total_onnx: that decode's CPU s/audio s",
      split_beam4_features: 'the time split of the beam-4 decode (rtf_beam4_lattice), measured as split_features: fbank, encoder, decoder (prediction network), joiner calls, and search = the rest (bookkeeping, lattice, n-best, SLF)',
      split_beam4_rtf_total: 'CPU s/audio s of the instrumented beam-4 decode the split divides (median of 7 passes; timers around ~2,000 ONNX calls per pass inflate it)',
      calls_beam4_joiner: 'ONNX calls per pass of the beam-4 decode (one joiner call per symbol round per frame over all paths in it; prediction rows a search lacks alone come from the cache greedy fills)',
      ratio_vs_sherpa_spread: 'max/min − 1 of that ratio over the rounds (how noisy the machine was)',
      agree_with_sherpa: `fraction of demo utterances with identical 1-best text (greedy, incomplete last chunk dropped as sherpa does)`,
      ratio_vs_sherpa_zipformer2: `the same on test/fixtures/models/zipformer2 (icefall zipformer, fp32: the only files it has; ${ZIPFORMER2_ROUNDS} rounds); onnxruntime-node 1.30 against the 1.28.2 libonnxruntime sherpa-onnx-node bundles, same session options`,
      ratio_vs_sherpa_zipformer2_exported_graph: 'the same with Earshot running the encoder graph as exported (one tensor per state, batch axis symbolic), not the one rewritten for a single stream',
      single_stream_graph_gain_zipformer2: 'median over rounds of Earshot CPU time with the single-stream encoder graph / with the exported graph, zipformer2 fixture (< 1: the rewrite is faster)',
      split_encoder_zipformer2: 'the time split of the zipformer2 greedy decode (same chunks as sherpa): fbank, encoder, and the rest (joiner, prediction network, search)',
      split_features: 'fraction of a single-stream greedy decode (same chunks as sherpa) in the streaming fbank front end (the others: encoder, decoder, joiner calls, search = the rest)',
      split_rtf_total: 'CPU s/audio s of the instrumented decode the split divides (median of 7 passes)',
      calls_encoder: 'ONNX calls per pass over the demo set (decoder rows are cached by context across utterances)',
      memory_per_stream_kb: 'KiB of JS heap + typed arrays one live greedy stream holds, 4 s into an utterance',
      throughput_utt_per_s: `utterances/s, ${THREADS} engine worker threads, each decodeBatch with ${BATCH_STREAMS} streams per encoder call, greedy, ${shipped.spec.variant}`,
      throughput_sherpa_utt_per_s: `utterances/s, sherpa-onnx-node numThreads ${THREADS}, decodeStreams over ${BATCH_STREAMS} streams at a time`,
      throughput_ratio_vs_sherpa: 'median over rounds of sherpa wall time / Earshot wall time for the 200 utterances (≥ 1: Earshot is faster)',
      throughput_ratio_vs_sherpa_cpu: 'the same with CPU time of this process and its worker threads',
      batched_agree_with_single: 'fraction of utterances whose batched 1-best equals the one-at-a-time 1-best (int8 graphs quantise each call with one scale for the whole batch)',
      ...clips.units,
      load_average_min: '1-minute load average of the machine (2 cores) over the run',
      model: picked.label,
      audio: 'resources/demo/*.wav + 0.5 s silence each; throughput: bench/data/test-splits (200 utterances) + 0.5 s each',
    },
  };
}
