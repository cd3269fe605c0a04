import { parseArgs } from 'node:util';
import { writeFileAtomic } from '@engine/session/atomic-write';
import { sweepResultLines, type DecodeResultLine } from '@engine/endpoint/sweep-results-file';
import { defaultSweepOptions } from '@engine/endpoint/sweep';
import { describeDefinitions } from '@shared/endpoint/definitions';
import { readJsonl } from '../read-jsonl';
import { progressBar } from '../progress';
import { interruptSignal } from '../interrupt';

export const sweepUsage = `earshot sweep <results.jsonl> --out sweep.json [--final-budget 0.01] [--speculative-budget 0.05]
              [--no-fire-budget 0.01] [--lead 0.15] [--tolerance 0] [--no-fire-at timeout|audio-end]
  Sweeps both end-pointers' parameters over the cached traces of an \`earshot decode\`
  results file (no re-decoding) and writes the Pareto front of latency against
  cut-off, the baselines on the same data (Silero and WebRTC VAD + silence, energy,
  sherpa-onnx and Kaldi rules), and a recommended pair: the speculative end-pointer
  at least --lead s ahead of the final at p50, both within their cut-off budgets and
  the no-fire budget (or, when none qualifies, the nearest pair and what it misses).
  A cut-off is a decision more than --tolerance s before the reference end; a no-fire
  counts at the 20 s timeout (or the end of the audio) and is never dropped.`;

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

export async function sweepCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      'final-budget': { type: 'string', default: String(defaultSweepOptions.finalCutoffBudget) },
      'speculative-budget': { type: 'string', default: String(defaultSweepOptions.speculativeCutoffBudget) },
      'no-fire-budget': { type: 'string', default: String(defaultSweepOptions.noFireBudget) },
      lead: { type: 'string', default: String(defaultSweepOptions.speculativeLeadS) },
      tolerance: { type: 'string', default: String(defaultSweepOptions.definitions.cutoffToleranceS) },
      'no-fire-at': { type: 'string', default: defaultSweepOptions.definitions.noFireAt },
    },
  });
  if (positionals.length !== 1 || !values.out) throw new Error(`usage: ${sweepUsage}`);
  const lines = await readJsonl<DecodeResultLine>(positionals[0]);
  if (lines.length === 0) throw new Error(`${positionals[0]} holds no results`);
  const bar = progressBar('sweep');
  const signal = interruptSignal();
  const result = await sweepResultLines(
    lines,
    {
      ...defaultSweepOptions,
      finalCutoffBudget: fraction('--final-budget', values['final-budget']),
      speculativeCutoffBudget: fraction('--speculative-budget', values['speculative-budget']),
      noFireBudget: fraction('--no-fire-budget', values['no-fire-budget']),
      speculativeLeadS: seconds('--lead', values.lead),
      definitions: { ...defaultSweepOptions.definitions, cutoffToleranceS: seconds('--tolerance', values.tolerance), noFireAt: noFireAt(values['no-fire-at']) },
    },
    { onProgress: (done, total) => bar.update(done, total), signal },
  ).finally(() => bar.stop());
  await writeFileAtomic(values.out, JSON.stringify(result, null, 2) + '\n');
  const rec = result.recommended;
  console.error(`sweep: ${result.utterances} utterances × ${result.points.length} settings → ${values.out}`);
  console.error(`(${describeDefinitions(result.definitions)})`);
  if (rec) {
    const ms = (s: number | null): string => (s === null ? '–' : `${Math.round(s * 1000)} ms`);
    const line = (kind: 'speculative' | 'final'): string => {
      const m = rec.metrics[kind];
      return `${kind} p50 ${ms(m.latencyP50S)} (cut-off ${m.cutoffRate.toFixed(3)}, no-fire ${m.noFireRate.toFixed(3)})`;
    };
    console.error(`${rec.qualifies ? 'recommended' : 'no pair meets the budgets; nearest'}: ${line('speculative')}, ${line('final')}, lead ${ms(rec.metrics.leadP50S)}`);
    if (!rec.qualifies) console.error(`  misses: ${rec.shortfalls.join('; ')}`);
  } else {
    console.error('recommended: none — no setting ever fired on an utterance with a reference end');
  }
}
