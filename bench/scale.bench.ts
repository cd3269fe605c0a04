/**
 * Corpus scale, through the CLI as a Slurm or Kubernetes task runs it (`earshot decode`, the
 * shipped model, beam 4):
 * - throughput with one and two worker threads, on 200 demo utterances (mean 3.6 s of audio);
 * - memory over 10,000 short utterances (1 s windows cut from the demo recordings) with one
 *   worker: the resident memory of the process and its children, sampled while it runs and
 *   reported as the peak up to the 1,000th, 5,000th and 10,000th line. A decode streams its
 *   lines to disk, so these should be flat, not grow with the corpus.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, openSync, readSync, closeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeAudioFile } from '../src/engine/audio/decode-audio';
import { makeWav } from '../test/unit/audio/make-wav';
import type { BenchOutput } from './run';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'earshot.js');
const demo = join(root, 'resources', 'demo');
const MODEL = join(root, 'resources', 'models', 'earshot-rnnt');
const THROUGHPUT_UTTERANCES = 200;
const MEMORY_UTTERANCES = 10_000;
const CHECKPOINTS = [1_000, 5_000, 10_000];
const CLIP_S = 1;
const SAMPLE_MS = 250;

interface DemoLine {
  audio: string;
  text: string;
}

const demoLines = (): DemoLine[] =>
  readFileSync(join(demo, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as DemoLine);

/** The demo recordings repeated under ids u0…u{n−1}. */
function repeatedDemo(dir: string, n: number): string {
  const lines = demoLines();
  const manifest = join(dir, `demo-${n}.jsonl`);
  writeFileSync(manifest, Array.from({ length: n }, (_, i) => JSON.stringify({ ...lines[i % lines.length], audio: join(demo, lines[i % lines.length].audio), id: `u${i}` })).join('\n') + '\n');
  return manifest;
}

/** 1 s windows of the demo recordings (hop 0.5 s) as WAVs, and a manifest naming them n times over. */
async function shortUtterances(dir: string, n: number): Promise<string> {
  const clips: string[] = [];
  for (const line of demoLines()) {
    const { samples } = await decodeAudioFile(join(demo, line.audio), { targetRate: 16000 });
    for (let start = 0; start + CLIP_S * 16000 <= samples.length; start += 8000) {
      const name = `${line.audio.replace(/\.wav$/, '')}-${start / 16000}.wav`;
      writeFileSync(join(dir, name), makeWav({ sampleRate: 16000, channels: [samples.subarray(start, start + CLIP_S * 16000)] }));
      clips.push(name);
    }
  }
  const manifest = join(dir, `short-${n}.jsonl`);
  writeFileSync(manifest, Array.from({ length: n }, (_, i) => JSON.stringify({ audio: clips[i % clips.length], id: `s${String(i).padStart(5, '0')}` })).join('\n') + '\n');
  return manifest;
}

/** Resident memory (MiB) of `pid` and every process below it, from /proc. */
function treeRssMb(pid: number): number {
  const children = new Map<number, number[]>();
  let pages = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const parent = Number(fields[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    try {
      pages += Number(readFileSync(`/proc/${p}/statm`, 'utf8').split(' ')[1]);
    } catch {
      continue;
    }
    stack.push(...(children.get(p) ?? []));
  }
  return (pages * 4096) / 2 ** 20;
}

/** Counts the newlines of a growing file, reading only what was appended since the last call. */
function lineCounter(path: string): () => number {
  let offset = 0;
  let lines = 0;
  const buffer = Buffer.alloc(1 << 20);
  return () => {
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      return lines;
    }
    const fd = openSync(path, 'r');
    try {
      while (offset < size) {
        const read = readSync(fd, buffer, 0, Math.min(buffer.length, size - offset), offset);
        if (read === 0) break;
        for (let i = 0; i < read; i++) if (buffer[i] === 10) lines += 1;
        offset += read;
      }
    } finally {
      closeSync(fd);
    }
    return lines;
  };
}

interface DecodeRun {
  wallS: number;
  /** Seconds the CLI reports for decoding alone (model loading and the summary excluded). */
  decodeS: number;
  samples: Array<{ lines: number; rssMb: number }>;
}

function decode(manifest: string, out: string, workers: number): Promise<DecodeRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, 'decode', manifest, '--out', out, '--workers', String(workers), '--model', MODEL], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const count = lineCounter(out);
    const samples: DecodeRun['samples'] = [];
    const timer = setInterval(() => {
      const lines = count();
      const rssMb = treeRssMb(child.pid!);
      if (rssMb > 0) samples.push({ lines, rssMb }); // 0: the process has just ended
    }, SAMPLE_MS);
    child.once('exit', (code) => {
      clearInterval(timer);
      const decoded = /decoded now in ([\d.]+) s/.exec(stderr);
      if (code !== 0 || !decoded) return reject(new Error(`earshot decode exited ${code}: ${stderr.slice(-2000)}`));
      resolve({ wallS: (performance.now() - started) / 1000, decodeS: Number(decoded[1]), samples });
    });
  });
}

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

export default async function run(): Promise<BenchOutput> {
  const work = mkdtempSync(join(tmpdir(), 'earshot-scale-bench-'));
  const load = loadavg()[0];
  try {
    const demoManifest = repeatedDemo(work, THROUGHPUT_UTTERANCES);
    const one = await decode(demoManifest, join(work, 'w1.jsonl'), 1);
    const two = await decode(demoManifest, join(work, 'w2.jsonl'), 2);

    const short = await shortUtterances(work, MEMORY_UTTERANCES);
    const big = await decode(short, join(work, 'short.jsonl'), 1);
    const written = lineCounter(join(work, 'short.jsonl'))();
    if (written !== MEMORY_UTTERANCES) throw new Error(`the 10,000-utterance decode wrote ${written} lines`);
    const peakUpTo = (lines: number): number => Math.max(...big.samples.filter((s) => s.lines <= lines).map((s) => s.rssMb));
    // The last sample taken while the decode was still short of each checkpoint (after the last line the
    // workers close and memory drops).
    const before = (lines: number) => big.samples.filter((s) => s.lines < lines).at(-1)!;
    const at = (lines: number): number => before(lines).rssMb;
    const first = before(CHECKPOINTS[0]);
    const last = before(MEMORY_UTTERANCES);
    const checkpoints = CHECKPOINTS.flatMap((n) => [
      [`peak_rss_mb_${n / 1000}k`, round(peakUpTo(n))],
      [`rss_mb_at_${n / 1000}k`, round(at(n))],
    ]);
    return {
      metrics: {
        utt_per_s_1w: round(THROUGHPUT_UTTERANCES / one.decodeS, 2),
        utt_per_s_2w: round(THROUGHPUT_UTTERANCES / two.decodeS, 2),
        wall_s_1w: round(one.wallS),
        wall_s_2w: round(two.wallS),
        ...Object.fromEntries(checkpoints),
        peak_rss_mb_10k: round(Math.max(...big.samples.map((s) => s.rssMb))),
        rss_growth_mb_per_1k_utt: round(((last.rssMb - first.rssMb) * 1000) / (last.lines - first.lines), 2),
        wall_s_10k: round(big.wallS),
        utt_per_s_10k_short: round(MEMORY_UTTERANCES / big.decodeS, 2),
        load_avg_1m: round(load, 2),
      },
      units: {
        utt_per_s_1w: `utterances/s decoding ${THROUGHPUT_UTTERANCES} demo utterances (3.6 s mean), --workers 1 (model loading excluded)`,
        utt_per_s_2w: `utterances/s on the same, --workers 2`,
        wall_s_1w: 's, the whole command with --workers 1',
        wall_s_2w: 's, the whole command with --workers 2',
        peak_rss_mb_1k: `MiB, the most resident memory of the decode's process tree up to its 1,000th line (of ${MEMORY_UTTERANCES.toLocaleString('en')} 1 s utterances, --workers 1)`,
        peak_rss_mb_5k: 'MiB, the same up to the 5,000th line',
        peak_rss_mb_10k: 'MiB, the same over the whole run (10,000 lines and the summary)',
        rss_mb_at_1k: 'MiB, the last sample before the 1,000th line',
        rss_mb_at_5k: 'MiB, the last sample before the 5,000th line',
        rss_mb_at_10k: 'MiB, the last sample before the 10,000th line',
        rss_growth_mb_per_1k_utt: 'MiB per 1,000 utterances, from the last sample before the 1,000th line to the last before the 10,000th',
        wall_s_10k: 's, the whole 10,000-utterance command',
        utt_per_s_10k_short: 'utterances/s in that run (1 s each)',
        load_avg_1m: 'the machine’s 1-minute load average when the benchmark started (other jobs share its cores)',
      },
      notes: {
        model: 'resources/models/earshot-rnnt (int8, beam 4, the CLI defaults)',
        sampling: `/proc statm of the CLI and its descendants every ${SAMPLE_MS} ms; lines counted in the output file as it grows`,
        rss_samples: `[lines, MiB] every 10 s: ${JSON.stringify(big.samples.filter((_, i) => i % 40 === 0).map((s) => [s.lines, round(s.rssMb)]))}`,
      },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
