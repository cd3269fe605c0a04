import { basename } from 'node:path';
import type { Comparison, DifferenceInterval } from '@shared/domain/compare';
import { compareRuns } from '@engine/compare/compare-runs';
import { DEFAULT_RESAMPLES, DEFAULT_SEED } from '@engine/compare/paired-bootstrap';
import { pairDecodeLines, PairingError, type ComparableLine } from '@engine/compare/pair-decode-lines';
import { commandArgs, positiveInteger } from '../args';
import { EXIT, type ExitCode } from '../exit-codes';
import { readJsonl } from '../read-jsonl';

export const compareUsage = `earshot compare <a.jsonl> <b.jsonl> [--json] [--resamples ${DEFAULT_RESAMPLES}] [--seed ${DEFAULT_SEED}]
  A/B of two \`earshot decode\` outputs over the same utterances (matched by id): corpus
  WER of each, B − A in points with a paired bootstrap 95 % interval (corpus WER
  recomputed from summed errors and words in every resample), utterances B made better
  or worse, words changed, and the final end-pointer's p50 latency difference with its
  interval; --json prints it as one object, with a row per utterance.`;

const sign = (x: number, digits: number): string => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(digits)}`;
const pct = (x: number | null): string => (x === null ? '–' : `${x.toFixed(1)} %`);
const ms = (s: number | null): string => (s === null ? '–' : `${Math.round(s * 1000)} ms`);
const interval = (d: DifferenceInterval, scale: number, digits: number, unit: string): string =>
  `B − A ${sign(d.diff * scale, digits)}${unit}, 95 % CI [${sign(d.ci[0] * scale, digits)}, ${sign(d.ci[1] * scale, digits)}]`;

function readable(result: Comparison, names: { a: string; b: string }): string[] {
  const s = result.summary;
  const l = s.latency;
  const lines = [
    `compare: ${s.utterances} utterances, ${s.referenceWords} reference words; A ${names.a}, B ${names.b}`,
    `WER A ${pct(s.werA)}, B ${pct(s.werB)}; ${s.wer ? `${interval(s.wer, 1, 1, ' points')}; B worse in ${(100 * s.wer.shareAbove).toFixed(1)} % of ${s.resamples} paired resamples (seed ${s.seed})` : 'no scored utterances'}`,
    `B better on ${s.better}, worse on ${s.worse}, the same on ${s.same}; hypotheses differ on ${s.changedUtterances} (${s.wordsChanged} word${s.wordsChanged === 1 ? '' : 's'} changed)`,
  ];
  if (l.p50Diff) {
    lines.push(`final end-pointer p50 latency A ${ms(l.p50A)}, B ${ms(l.p50B)}; ${interval(l.p50Diff, 1000, 0, ' ms')}`);
    lines.push(`cut-offs A ${l.cutOffsA}, B ${l.cutOffsB}; no-fires A ${l.noFiresA}, B ${l.noFiresB} (of ${l.withReference} utterances with a reference end; a no-fire counts at the 20 s timeout)`);
  } else {
    lines.push('latency: no utterance has a reference end');
  }
  return lines;
}

const round = (x: number | null, digits = 4): number | null => (x === null ? null : Number(x.toFixed(digits)));

/** The --json object: snake_case like `earshot decode`'s lines, WER in per cent, latencies in ms. */
function jsonOf(result: Comparison, names: { a: string; b: string }): Record<string, unknown> {
  const s = result.summary;
  const l = s.latency;
  const toMs = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000));
  return {
    a: names.a,
    b: names.b,
    utterances: s.utterances,
    reference_words: s.referenceWords,
    wer_a: round(s.werA),
    wer_b: round(s.werB),
    wer_diff: round(s.wer?.diff ?? null),
    wer_diff_ci: s.wer ? s.wer.ci.map((x) => round(x)) : null,
    b_worse_share: s.wer ? round(s.wer.shareAbove) : null,
    better: s.better,
    worse: s.worse,
    same: s.same,
    changed_utterances: s.changedUtterances,
    words_changed: s.wordsChanged,
    latency: {
      with_reference: l.withReference,
      p50_a_ms: toMs(l.p50A),
      p50_b_ms: toMs(l.p50B),
      p50_diff_ms: toMs(l.p50Diff?.diff ?? null),
      p50_diff_ci_ms: l.p50Diff ? l.p50Diff.ci.map(toMs) : null,
      cutoffs_a: l.cutOffsA,
      cutoffs_b: l.cutOffsB,
      no_fires_a: l.noFiresA,
      no_fires_b: l.noFiresB,
    },
    resamples: s.resamples,
    seed: s.seed,
    per_utterance: result.rows.map((r) => ({
      id: r.id,
      words: r.words,
      wer_a: round(r.werA),
      wer_b: round(r.werB),
      words_changed: r.wordsChanged,
      verdict: r.verdict,
      latency_a_ms: toMs(r.latencyA),
      latency_b_ms: toMs(r.latencyB),
      cut_off_a: r.cutOffA,
      cut_off_b: r.cutOffB,
      hyp_a: r.hypA,
      hyp_b: r.hypB,
    })),
  };
}

export async function compareCommand(argv: string[]): Promise<ExitCode> {
  const args = commandArgs(argv, { json: { type: 'boolean', default: false }, resamples: { type: 'string', default: String(DEFAULT_RESAMPLES) }, seed: { type: 'string', default: String(DEFAULT_SEED) } }, compareUsage);
  if (!args) return EXIT.ok;
  const { values, positionals } = args;
  if (positionals.length !== 2) throw new Error(`compare takes two results files, A and B\n\nusage: ${compareUsage}`);
  const resamples = positiveInteger('--resamples', values.resamples);
  if (resamples > 1_000_000) throw new Error(`--resamples must be at most 1000000, not "${values.resamples}"`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`--seed must be a whole number from 0 to 4294967295, not "${values.seed}"`);
  const [pathA, pathB] = positionals;
  const names = { a: basename(pathA) === basename(pathB) ? pathA : basename(pathA), b: basename(pathA) === basename(pathB) ? pathB : basename(pathB) };
  const [linesA, linesB] = await Promise.all([readJsonl<ComparableLine>(pathA), readJsonl<ComparableLine>(pathB)]);
  let result: Comparison;
  try {
    result = compareRuns(pairDecodeLines(linesA, linesB, names), { resamples, seed });
  } catch (error) {
    if (error instanceof PairingError) throw new Error(`cannot compare ${pathA} with ${pathB}: ${error.message}`);
    throw error;
  }
  if (values.json) console.log(JSON.stringify(jsonOf(result, names), null, 2));
  else console.log(readable(result, names).join('\n'));
  return EXIT.ok;
}
