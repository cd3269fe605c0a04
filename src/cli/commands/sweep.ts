import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { removeOrphanTemps } from '@engine/session/orphan-temps';
import { writeFileAtomic } from '@engine/session/atomic-write';
import { sweepResultLines, type DecodeResultLine } from '@engine/endpoint/sweep-results-file';
import { defaultSweepOptions } from '@engine/endpoint/sweep';
import { commandArgs } from '../args';
import { EXIT, type ExitCode } from '../exit-codes';
import { readJsonl } from '../read-jsonl';
import { progressBar } from '../progress';
import { interruptSignal } from '../interrupt';
import { checkReplaceableOutput } from '../output/replace-output';
import { decodeFileTotals } from '../summary/decode-totals';
import { formatRunSummary } from '../summary/run-summary';
import { configPairFromKnobs } from '@engine/endpoint/dual-endpointer';
import { defaultKnobsPair } from '@engine/endpoint/endpoint-config';
import type { DecodeRun } from '../output/decode-run';
import { refuseInputAsOutput } from '../output/same-file';
import { describeDefinitions } from '@shared/endpoint/definitions';

export const sweepUsage = `earshot sweep <results.jsonl> --out sweep.json [--final-budget 0.01] [--speculative-budget 0.05]
              [--no-fire-budget 0.01] [--lead 0.15] [--tolerance 0] [--no-fire-at timeout|audio-end]
  Sweeps both end-pointers' parameters over the cached traces of an \`earshot decode\`
  results file (no re-decoding) and writes the Pareto front of latency against
  cut-off, the baselines on the same data (Silero and WebRTC VAD + silence, energy,
  sherpa-onnx and Kaldi rules), and a recommended pair: the speculative end-pointer
  at least --lead s ahead of the final at p50, both within their cut-off budgets and
  the no-fire budget (or, when none qualifies, the nearest pair and what it misses).
  A cut-off is a decision more than --tolerance s before the reference end; a no-fire
  counts at the 20 s timeout (or the end of the audio) and is never dropped.
  An existing --out is replaced only if it is a sweep result.`;

function fraction(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error(`${name} must be a fraction from 0 to 1, not "${value}"`);
  return n;
}

function seconds(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 60) throw new Error(`${name} must be seconds from 0 to 60, not "${value}"`);
  return n;
}

function noFireAt(value: string): 'timeout' | 'audio-end' {
  if (value !== 'timeout' && value !== 'audio-end') throw new Error(`--no-fire-at must be "timeout" or "audio-end", not "${value}"`);
  return value;
}

type Line = DecodeResultLine & { error?: string; format?: unknown };

const notResults = (path: string, what: string): Error =>
  new Error(`${path} ${what}; sweep reads the results of \`earshot decode\`, whose lines carry each utterance's per-frame trace`);

async function readLines(path: string): Promise<Line[]> {
  try {
    return await readJsonl<Line>(path);
  } catch (error) {
    // A pretty-printed JSON file (a session) is not JSONL: say what it is.
    const whole = await readFile(path, 'utf8').then((t) => JSON.parse(t) as { format?: unknown }, () => undefined);
    if (whole?.format === 'earshot-session') throw notResults(path, 'is a session (from `earshot analyze` or the workbench)');
    throw error;
  }
}

/** Lines that failed to decode have no trace; a session or another JSON file is not a results file. */
function sweepable(path: string, lines: Line[]): { lines: DecodeResultLine[]; failed: number } {
  if (lines.length === 1 && lines[0].format === 'earshot-session') throw notResults(path, 'is a session (from `earshot analyze` or the workbench)');
  const usable = lines.filter((l) => !l.error);
  const withoutTrace = usable.findIndex((l) => !l.trace);
  if (withoutTrace >= 0) {
    throw notResults(path, `has no per-frame trace on line ${lines.indexOf(usable[withoutTrace]) + 1}`);
  }
  return { lines: usable, failed: lines.length - usable.length };
}

export async function sweepCommand(argv: string[]): Promise<ExitCode> {
  const args = commandArgs(
    argv,
    {
      out: { type: 'string' },
      'final-budget': { type: 'string', default: String(defaultSweepOptions.finalCutoffBudget) },
      'speculative-budget': { type: 'string', default: String(defaultSweepOptions.speculativeCutoffBudget) },
      'no-fire-budget': { type: 'string', default: String(defaultSweepOptions.noFireBudget) },
      lead: { type: 'string', default: String(defaultSweepOptions.speculativeLeadS) },
      tolerance: { type: 'string', default: String(defaultSweepOptions.definitions.cutoffToleranceS) },
      'no-fire-at': { type: 'string', default: defaultSweepOptions.definitions.noFireAt },
    },
    sweepUsage,
  );
  if (!args) return EXIT.ok;
  const { values, positionals } = args;
  if (positionals.length !== 1 || !values.out) throw new Error(`usage: ${sweepUsage}`);
  const options = {
    ...defaultSweepOptions,
    finalCutoffBudget: fraction('--final-budget', values['final-budget']),
    speculativeCutoffBudget: fraction('--speculative-budget', values['speculative-budget']),
    noFireBudget: fraction('--no-fire-budget', values['no-fire-budget']),
    speculativeLeadS: seconds('--lead', values.lead),
    definitions: { ...defaultSweepOptions.definitions, cutoffToleranceS: seconds('--tolerance', values.tolerance), noFireAt: noFireAt(values['no-fire-at']) },
  };
  const out = resolve(values.out);
  for (const orphan of await removeOrphanTemps(dirname(out), { of: basename(out) })) console.error(`sweep: removed ${orphan}, left by a run that was killed`);
  await refuseInputAsOutput(out, positionals);
  await checkReplaceableOutput(out, 'sweep');
  const { lines, failed } = sweepable(positionals[0], await readLines(positionals[0]));
  if (lines.length === 0) throw new Error(`${positionals[0]} holds no decoded utterances`);
  const bar = progressBar('sweep');
  const signal = interruptSignal();
  const result = await sweepResultLines(lines, options, { onProgress: (done, total) => bar.update(done, total), signal })
    .catch((error: unknown) => {
      if (signal.aborted) return undefined;
      throw error;
    })
    .finally(() => bar.stop());
  if (!result) {
    console.error('sweep: interrupted; nothing was written');
    return EXIT.interrupted;
  }
  await writeFileAtomic(out, JSON.stringify(result, null, 2) + '\n');
  const rec = result.recommended;
  console.error(`sweep: ${result.utterances} utterances × ${result.points.length} settings → ${values.out}${failed ? ` (${failed} lines that failed to decode left out)` : ''}`);
  // The file's own figures first (as decoded, with the default end-pointers: the final one at the model's own
  // end-of-query threshold where the lines' run names one), then what the sweep recommends.
  const threshold = (lines[0] as { run?: Partial<DecodeRun> }).run?.eoq_threshold;
  const totals = await decodeFileTotals(positionals[0], configPairFromKnobs(defaultKnobsPair(typeof threshold === 'number' ? { eoqThreshold: threshold } : {})));
  for (const line of formatRunSummary(totals)) console.error(line.replace(/^end-pointers over/, 'default end-pointers over'));
  console.error(`(${describeDefinitions(result.definitions)})`);
  if (rec) {
    const ms = (s: number | null): string => (s === null ? '–' : `${Math.round(s * 1000)} ms`);
    const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
    const line = (kind: 'speculative' | 'final'): string => {
      const m = rec.metrics[kind];
      return `${kind} p50 ${ms(m.latencyP50S)}, p90 ${ms(m.latencyP90S)} (cut-off ${pct(m.cutoffRate)}, no-fire ${pct(m.noFireRate)})`;
    };
    console.error(`${rec.qualifies ? 'recommended' : 'no pair meets the budgets; nearest'}: ${line('speculative')}, ${line('final')}, lead ${ms(rec.metrics.leadP50S)}`);
    if (!rec.qualifies) console.error(`  misses: ${rec.shortfalls.join('; ')}`);
  } else {
    console.error('recommended: none — no setting ever fired on an utterance with a reference end');
  }
  return EXIT.ok;
}
