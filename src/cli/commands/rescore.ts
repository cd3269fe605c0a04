import { open, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { withAtomicFile } from '@engine/session/atomic-write';
import { removeOrphanTemps } from '@engine/session/orphan-temps';
import { loadLanguageModel } from '@engine/lm/load-language-model';
import type { LanguageModel } from '@engine/lm/language-model';
import { isRescorable, rescoredLine, scoreLine, tuneWeights, werOf, type DecodeLine, type ScoredLine } from '@engine/lm/rescore-line';
import type { RescoreWeights } from '@engine/lm/rescore';
import { DEFAULT_RESCORE_WEIGHTS } from '@engine/lm/default-weights';
import { latticeShapeProblem } from '@engine/lm/lattice-paths';
import { latticeSchema } from '@engine/session/decode-result-schema';
import { describeIssues } from '@engine/session/describe-issues';
import { commandArgs } from '../args';
import { EXIT, type ExitCode } from '../exit-codes';
import { readJsonl } from '../read-jsonl';
import { progressBar } from '../progress';
import { refuseInputAsOutput } from '../output/same-file';

export const rescoreUsage = `earshot rescore <decode.jsonl> --lm DIR|FILE.arpa --out rescored.jsonl [--lm-weight W]
                [--insertion-penalty P] [--tune dev.jsonl]
  Rescores each line's n-best (and its lattice's best paths, when the line has a lattice)
  with a language model: the cloud model's folder (training/lm/train.py) or an ARPA
  n-gram file. The new 1-best maximises acoustic + bias + W × LM − P × words (natural
  logs); it becomes \`hyp\`, the first pass's is kept as \`first_pass_hyp\`, the scores
  go under \`rescore\` and on the lattice's arcs (\`lmScore\`). --tune picks W and P by
  a grid search on another decode (a dev set, never the test set) and says what it
  chose. Defaults: W ${DEFAULT_RESCORE_WEIGHTS.lmWeight}, P ${DEFAULT_RESCORE_WEIGHTS.insertionPenalty}. An existing --out is replaced only if it is a rescore output.`;

function weight(name: string, value: string, max: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || Math.abs(n) > max) throw new Error(`${name} must be a number from ${name === '--lm-weight' ? 0 : -max} to ${max}, not "${value}"`);
  if (name === '--lm-weight' && n < 0) throw new Error(`--lm-weight must be a number from 0 to ${max}, not "${value}"`);
  return n;
}

/** The decode lines of a file, refused with the reason when it is not an `earshot decode` output. */
async function readDecodeLines(path: string): Promise<DecodeLine[]> {
  let lines: DecodeLine[];
  try {
    lines = await readJsonl<DecodeLine>(path);
  } catch (error) {
    throw new Error(`${(error as Error).message}; rescore reads the JSONL output of \`earshot decode\``);
  }
  if (lines.length === 0) throw new Error(`${path} holds no lines; rescore reads the output of \`earshot decode\``);
  lines.forEach((l, i) => {
    if (l === null || typeof l !== 'object' || Array.isArray(l)) throw new Error(`${path}:${i + 1}: not a JSON object; rescore reads the output of \`earshot decode\``);
    if ((l as { format?: unknown }).format === 'earshot-session') throw new Error(`${path} is a session, not decode results; run \`earshot decode\` to get n-best lists`);
    if (l.error) return;
    if (typeof l.hyp !== 'string' || !Array.isArray(l.nbest)) throw new Error(`${path}:${i + 1}: not an \`earshot decode\` line (it needs "hyp" and "nbest")`);
    const bad = l.nbest.findIndex((h) => typeof h?.text !== 'string' || !Number.isFinite(h.acoustic_score) || !Number.isFinite(h.bias_score));
    if (bad >= 0) throw new Error(`${path}:${i + 1}: n-best entry ${bad + 1} lacks text, acoustic_score or bias_score`);
    if (l.lattice !== undefined) {
      const parsed = latticeSchema.safeParse(l.lattice);
      const problem = parsed.success ? latticeShapeProblem(parsed.data) : describeIssues(parsed.error);
      if (problem) throw new Error(`${path}:${i + 1}: its lattice cannot be rescored: ${problem}`);
    }
  });
  return lines;
}

/** Only a previous rescore output may be replaced: anything else the user saved stays. */
async function checkReplaceable(out: string): Promise<void> {
  const info = await stat(out).catch(() => undefined);
  if (!info || info.size === 0) return;
  const refuse = (why: string): Error => new Error(`--out ${out} ${why}; choose another output file (nothing was written)`);
  if (!info.isFile()) throw refuse('is not a regular file');
  const file = await open(out, 'r');
  const head = Buffer.alloc(Math.min(info.size, 1 << 20));
  try {
    await file.read(head, 0, head.length, 0);
  } finally {
    await file.close();
  }
  const first = head.toString('utf8').split('\n')[0];
  let value: unknown;
  try {
    value = JSON.parse(first);
  } catch {
    throw refuse('exists and is not an `earshot rescore` output');
  }
  if (value === null || typeof value !== 'object' || !('rescore' in value || 'first_pass_hyp' in value)) throw refuse('exists and is not an `earshot rescore` output');
}

async function scoreAll(lm: LanguageModel, lines: readonly DecodeLine[], label: string): Promise<ScoredLine[]> {
  const bar = progressBar(label);
  const out: ScoredLine[] = [];
  const todo = lines.filter(isRescorable);
  try {
    for (const line of todo) {
      out.push(await scoreLine(lm, line));
      bar.update(out.length, todo.length);
    }
  } finally {
    bar.stop();
  }
  return out;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

export async function rescoreCommand(argv: string[]): Promise<ExitCode> {
  const args = commandArgs(
    argv,
    {
      lm: { type: 'string' },
      out: { type: 'string' },
      'lm-weight': { type: 'string' },
      'insertion-penalty': { type: 'string' },
      tune: { type: 'string' },
    },
    rescoreUsage,
  );
  if (!args) return EXIT.ok;
  const { values, positionals } = args;
  if (positionals.length !== 1 || !values.out || !values.lm) throw new Error(`usage: ${rescoreUsage}`);
  if (values.tune && (values['lm-weight'] !== undefined || values['insertion-penalty'] !== undefined)) {
    throw new Error('--tune chooses --lm-weight and --insertion-penalty; give either --tune or the weights');
  }
  const given: RescoreWeights = {
    lmWeight: values['lm-weight'] === undefined ? DEFAULT_RESCORE_WEIGHTS.lmWeight : weight('--lm-weight', values['lm-weight'], 10),
    insertionPenalty: values['insertion-penalty'] === undefined ? DEFAULT_RESCORE_WEIGHTS.insertionPenalty : weight('--insertion-penalty', values['insertion-penalty'], 20),
  };
  const out = resolve(values.out);
  for (const orphan of await removeOrphanTemps(dirname(out), { of: basename(out) })) console.error(`rescore: removed ${orphan}, left by a run that was killed`);
  await refuseInputAsOutput(out, [positionals[0], ...(values.tune ? [values.tune] : [])]);
  await checkReplaceable(out);
  const lines = await readDecodeLines(positionals[0]);
  const devLines = values.tune ? await readDecodeLines(values.tune) : undefined;
  const lm = loadLanguageModel(values.lm);
  try {
    let weights = given;
    if (devLines) {
      const dev = await scoreAll(lm, devLines, 'rescore: tuning');
      if (!dev.some((s) => s.line.text !== undefined)) throw new Error(`${values.tune} has no reference texts to tune on`);
      const tuned = tuneWeights(dev);
      weights = { lmWeight: tuned.lmWeight, insertionPenalty: tuned.insertionPenalty };
      console.error(`rescore: tuned on ${values.tune} (${dev.length} utterances, ${tuned.grid.length} settings): --lm-weight ${tuned.lmWeight} --insertion-penalty ${tuned.insertionPenalty}, dev WER ${pct(tuned.firstPassWer)} → ${pct(tuned.wer)}`);
    }
    const scored = await scoreAll(lm, lines, 'rescore');
    const byLine = new Map(scored.map((s) => [s.line, s]));
    const outLines = lines.map((l) => {
      const s = byLine.get(l);
      return s ? rescoredLine(lm, s, weights) : l;
    });
    await withAtomicFile(out, async (file) => {
      for (const l of outLines) await file.write(JSON.stringify(l) + '\n');
    });
    const before = werOf(lines.filter(isRescorable), (l) => l.text, (l) => l.hyp);
    const after = werOf(outLines.filter((l) => 'rescore' in l), (l) => l.text, (l) => l.hyp);
    const changed = outLines.filter((l) => 'first_pass_hyp' in l && l.first_pass_hyp !== l.hyp).length;
    const ms = scored.reduce((a, s) => a + s.ms, 0) / Math.max(1, scored.length);
    const skipped = lines.length - scored.length;
    console.error(`rescore: ${scored.length} utterances with ${lm.name} (${lm.kind}), --lm-weight ${weights.lmWeight} --insertion-penalty ${weights.insertionPenalty} → ${values.out}${skipped ? ` (${skipped} lines without hypotheses passed through)` : ''}`);
    if (before.utterances > 0) console.error(`WER first pass ${pct(before.wer)} → rescored ${pct(after.wer)} (${before.utterances} utterances, ${before.words} reference words)`);
    console.error(`${changed} hypotheses changed; ${ms.toFixed(1)} ms per utterance`);
  } finally {
    lm.release();
  }
  return EXIT.ok;
}
