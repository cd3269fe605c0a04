import { parseArgs } from 'node:util';
import { writeFileAtomic } from '@engine/session/atomic-write';
import { sweepResultLines, type DecodeResultLine } from '@engine/endpoint/sweep-results-file';
import { defaultSweepOptions } from '@engine/endpoint/sweep';
import { readJsonl } from '../read-jsonl';
import { progressBar } from '../progress';
import { interruptSignal } from '../interrupt';

export const sweepUsage = `earshot sweep <results.jsonl> --out sweep.json [--final-budget 0.01] [--speculative-budget 0.05]
  Sweeps both end-pointers' parameters over the cached traces of an \`earshot decode\`
  results file (no re-decoding) and writes the Pareto front of latency against
  cut-off, the presets on the same data, and a recommended operating pair.`;

function fraction(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error(`${name} must be a fraction from 0 to 1, not "${value}"`);
  return n;
}

export async function sweepCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      'final-budget': { type: 'string', default: String(defaultSweepOptions.finalCutoffBudget) },
      'speculative-budget': { type: 'string', default: String(defaultSweepOptions.speculativeCutoffBudget) },
    },
  });
  if (positionals.length !== 1 || !values.out) throw new Error(`usage: ${sweepUsage}`);
  const lines = await readJsonl<DecodeResultLine>(positionals[0]);
  if (lines.length === 0) throw new Error(`${positionals[0]} holds no results`);
  const bar = progressBar('sweep');
  const signal = interruptSignal();
  const result = await sweepResultLines(
    lines,
    { ...defaultSweepOptions, finalCutoffBudget: fraction('--final-budget', values['final-budget']), speculativeCutoffBudget: fraction('--speculative-budget', values['speculative-budget']) },
    { onProgress: (done, total) => bar.update(done, total), signal },
  ).finally(() => bar.stop());
  await writeFileAtomic(values.out, JSON.stringify(result, null, 2) + '\n');
  const rec = result.recommended;
  console.error(`sweep: ${result.utterances} utterances × ${result.points.length} settings → ${values.out}`);
  if (rec) {
    const ms = (s: number | null): string => (s === null ? '–' : `${Math.round(s * 1000)} ms`);
    console.error(`recommended: speculative p50 ${ms(rec.metrics.speculative.latencyP50S)} (cut-off ${rec.metrics.speculative.cutoffRate.toFixed(3)}), final p50 ${ms(rec.metrics.final.latencyP50S)} (cut-off ${rec.metrics.final.cutoffRate.toFixed(3)})`);
  } else {
    console.error('recommended: none — no setting meets the final cut-off budget');
  }
}
