/**
 * Dense lattices on the held-out open-text test split (bench/data/test-splits/test_open: 100
 * Opus utterances), and on the command split beside it, with the shipped model (int8, beam 4,
 * the default lattice beam; each utterance's own names as its biasing list, where it has them):
 * - wer_1best, oracle_wer_nbest, oracle_wer_lattice: corpus WER of the 1-best and the fewest
 *   errors any n-best entry / any lattice path makes;
 * - lattice_gz_to_pcm_p90: the gzipped SLF against the 16-bit PCM audio, p90 over utterances
 *   (and against Opus at a nominal 24 kbit/s: bitrate × duration);
 * - lattice_ms_per_utt: what recording the dense lattice costs a beam-4 decode (against the same
 *   decode whose lattice holds its n-best paths only), per utterance;
 * - beam_lattice_to_greedy_time_ratio: a whole beam-4 decode with its lattice against greedy search
 *   on the same audio (fbank, encoder and search; one thread).
 * Timings: each utterance decoded by each system in turn, best of REPEATS, so background load
 * hits all alike. The cloud-LM rescoring figures come from their own benchmark.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LATTICE_BEAM } from '../src/shared/api';
import { bandwidthOf, type DecodeResult } from '../src/shared/domain/decode';
import { decodeSamples } from '../src/engine/asr/decode-utterance';
import type { DecodeOptions } from '../src/engine/asr/stream-decoder';
import { TransducerModel } from '../src/engine/asr/transducer-model';
import { decodeAudioFile } from '../src/engine/audio/decode-audio';
import { latticeTotalsOf } from '../src/engine/lattice/lattice-totals';
import { oracleErrors } from '../src/engine/lattice/oracle';
import { latticeRescoreFigures } from './lattice-rescore';
import { corpusWordErrors } from '../src/engine/metrics/wer';
import type { BenchOutput } from './run';

const root = fileURLToPath(new URL('..', import.meta.url));
const MODEL = process.env.EARSHOT_BENCH_MODEL ?? join(root, 'resources/models/earshot-rnnt');
const SPLITS = join(root, 'bench/data/test-splits');
const REPEATS = 2;
const WIDE = { beam: 8, latticeBeam: 16 };

interface Item {
  id: string;
  text: string;
  context: string[];
  samples: Float32Array;
}

async function readSplit(name: string): Promise<Item[]> {
  const manifest = join(SPLITS, name, 'manifest.jsonl');
  const rows = readFileSync(manifest, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { audio: string; text: string; context?: string[] });
  return Promise.all(
    rows.map(async (r) => ({ id: r.audio, text: r.text, context: r.context ?? [], samples: (await decodeAudioFile(join(dirname(manifest), r.audio), { targetRate: 16000 })).samples })),
  );
}

/** Best wall time (ms) of `decode` on each item, systems interleaved; the results of the last round. */
function timeSystems(items: Item[], systems: Record<string, (item: Item) => DecodeResult>): { ms: Record<string, number[]>; results: Record<string, DecodeResult[]> } {
  const names = Object.keys(systems);
  const ms = Object.fromEntries(names.map((n) => [n, items.map(() => Infinity)]));
  const results: Record<string, DecodeResult[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < REPEATS; r++) {
    items.forEach((item, i) => {
      for (const name of names) {
        const t0 = performance.now();
        const result = systems[name](item);
        ms[name][i] = Math.min(ms[name][i], performance.now() - t0);
        results[name][i] = result;
      }
    });
  }
  return { ms, results };
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const r4 = (x: number | null): number => (x === null ? NaN : Number(x.toFixed(4)));

function figures(items: Item[], results: DecodeResult[]) {
  const wer = corpusWordErrors(items.map((item, i) => ({ reference: item.text, hypothesis: results[i].hyp }))).wer;
  const totals = latticeTotalsOf(
    results.map((r, i) => ({
      arcs: r.lattice.arcs.length,
      durationS: r.stats.durationS,
      bandwidth: bandwidthOf(r),
      oracle: oracleErrors(items[i].text, r.nbest.map((h) => h.text), r.lattice),
    })),
  );
  const oracle = totals.oracle as NonNullable<typeof totals.oracle>;
  return { wer, nbest: oracle.nbestErrors / oracle.words, lattice: oracle.latticeErrors / oracle.words, totals };
}

export default async function run(): Promise<BenchOutput> {
  const model = TransducerModel.load(MODEL, { intraOpNumThreads: 1 });
  try {
    const open = await readSplit('test_open');
    const commands = await readSplit('test_cmd');
    const options = (item: Item, extra: DecodeOptions): DecodeOptions => ({ context: item.context.map((phrase) => ({ phrase })), ...extra });
    const systems = {
      greedy: (item: Item) => decodeSamples(model, item.samples, options(item, { beam: 1 })),
      beamNbestOnly: (item: Item) => decodeSamples(model, item.samples, options(item, { beam: 4, latticeBeam: null })),
      beamLattice: (item: Item) => decodeSamples(model, item.samples, options(item, { beam: 4 })),
    };
    const timed = timeSystems(open, systems);
    const o = figures(open, timed.results.beamLattice);
    const nbestOnly = figures(open, timed.results.beamNbestOnly);
    // What a wider search gives the lattice (not the default: it changes the 1-best too).
    const wide = figures(
      open,
      open.map((item) => decodeSamples(model, item.samples, options(item, { beam: WIDE.beam, latticeBeam: WIDE.latticeBeam }))),
    );
    const decoded = (items: Item[], results: DecodeResult[]) => items.map((item, i) => ({ reference: item.text, nbest: results[i].nbest, lattice: results[i].lattice }));
    const rescored = await latticeRescoreFigures(decoded(open, timed.results.beamLattice));
    const cmdResults = commands.map((item) => systems.beamLattice(item));
    const cmdRescored = await latticeRescoreFigures(decoded(commands, cmdResults));
    const c = figures(commands, cmdResults);
    const latticeMs = timed.ms.beamLattice.map((ms, i) => ms - timed.ms.beamNbestOnly[i]);
    const audioS = sum(open.map((i) => i.samples.length)) / 16000;
    return {
      metrics: {
        wer_1best: r4(o.wer),
        oracle_wer_nbest: r4(o.nbest),
        oracle_wer_lattice: r4(o.lattice),
        oracle_wer_lattice_nbest_paths_only: r4(nbestOnly.lattice),
        lattice_gz_to_pcm_p90: r4(o.totals.gzToPcmP90),
        lattice_gz_to_pcm_p50: r4(o.totals.gzToPcmP50),
        lattice_gz_to_opus24k_p90: r4(o.totals.gzToOpusP90),
        lattice_arcs_per_s: Number(o.totals.arcsPerS.toFixed(2)),
        lattice_ms_per_utt: Number((sum(latticeMs) / open.length).toFixed(2)),
        beam_lattice_ms_per_utt: Number((sum(timed.ms.beamLattice) / open.length).toFixed(2)),
        greedy_ms_per_utt: Number((sum(timed.ms.greedy) / open.length).toFixed(2)),
        beam_lattice_to_greedy_time_ratio: Number((sum(timed.ms.beamLattice) / sum(timed.ms.greedy)).toFixed(3)),
        wide_wer_1best: r4(wide.wer),
        wide_oracle_wer_lattice: r4(wide.lattice),
        wide_lattice_arcs_per_s: Number(wide.totals.arcsPerS.toFixed(2)),
        cmd_wer_1best: r4(c.wer),
        cmd_oracle_wer_nbest: r4(c.nbest),
        cmd_oracle_wer_lattice: r4(c.lattice),
        wer_rescored: r4(rescored.wer_rescored),
        rescore_ms_per_utt: r4(rescored.rescore_ms_per_utt),
        cmd_wer_rescored: r4(cmdRescored.wer_rescored),
        utterances: open.length,
        audio_s: Number(audioS.toFixed(1)),
      },
      units: {
        wer_1best: 'fraction (test_open, beam 4)',
        oracle_wer_nbest: 'fraction (test_open)',
        oracle_wer_lattice: 'fraction (test_open)',
        oracle_wer_lattice_nbest_paths_only: 'fraction (test_open, a lattice of the n-best paths only: what the dense lattice adds)',
        lattice_gz_to_pcm_p90: 'fraction (gzipped SLF / 16-bit 16 kHz PCM bytes, p90 over utterances)',
        lattice_gz_to_pcm_p50: 'fraction',
        lattice_gz_to_opus24k_p90: 'fraction (against Opus at a nominal 24 kbit/s: bitrate × duration)',
        lattice_arcs_per_s: 'arcs per second of audio',
        lattice_ms_per_utt: 'ms per utterance (beam 4 with the dense lattice minus beam 4 with n-best paths only)',
        beam_lattice_ms_per_utt: 'ms per utterance (whole decode, 1 thread)',
        greedy_ms_per_utt: 'ms per utterance (whole decode, 1 thread)',
        beam_lattice_to_greedy_time_ratio: 'ratio (beam 4 + lattice / greedy, whole decodes)',
        wide_wer_1best: `fraction (test_open, beam ${WIDE.beam}, lattice beam ${WIDE.latticeBeam})`,
        wide_oracle_wer_lattice: 'fraction (test_open, the same wider search)',
        wide_lattice_arcs_per_s: 'arcs per second of audio (the same wider search)',
        cmd_wer_1best: 'fraction (test_cmd, beam 4, own names as biasing list)',
        cmd_oracle_wer_nbest: 'fraction (test_cmd)',
        cmd_oracle_wer_lattice: 'fraction (test_cmd)',
        wer_rescored: 'fraction (test_open: n-best and lattice paths rescored by the cloud LM, default weights; NaN without one)',
        rescore_ms_per_utt: 'ms per utterance (lattice k-best paths and the LM, 1 thread)',
        cmd_wer_rescored: 'fraction (test_cmd, the same rescoring)',
        utterances: 'count (test_open)',
        audio_s: 's (test_open)',
      },
      notes: {
        model: MODEL.startsWith(root) ? MODEL.slice(root.length) : MODEL,
        lattice_beam: `${DEFAULT_LATTICE_BEAM} nats (the default)`,
        rescoring_lm: rescored.lm,
        timing: `best of ${REPEATS} per utterance, systems interleaved, 1 intra-op thread`,
      },
    };
  } finally {
    model.release();
  }
}
