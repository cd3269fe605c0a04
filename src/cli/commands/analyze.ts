import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { decodeOptionsSchema } from '@shared/api';
import type { Utterance } from '@shared/domain/session';
import type { UtteranceAnalysis } from '@shared/domain/workbench';
import { saveSession } from '@engine/session/save-session';
import { PathGuard } from '@engine/session/path-guard';
import { removeOrphanTemps } from '@engine/session/orphan-temps';
import { modelDefaultKnobs } from '@engine/endpoint/model-knobs';
import { sessionOfAnalyses, type FailedUtterance } from '@engine/analysis/session-of-analyses';
import { summarizeDataset } from '@engine/analysis/analyze-utterance';
import { describeModel } from '@engine/asr/model-info';
import { utteranceTaskParams } from '../../host/worker-tasks';
import { commandArgs, latticeBeam, positiveInteger } from '../args';
import { readContextOption } from '../context-file';
import { createEnginePool } from '../engine-pool';
import { defaultModelDir } from '../default-model';
import { EXIT, type ExitCode } from '../exit-codes';
import { progressBar } from '../progress';
import { interruptSignal } from '../interrupt';
import { inShard, parseShard, shardLabel } from '../shard';
import { importInput } from '../trusted-inputs';
import { workerCount } from '../worker-count';
import { checkReplaceableOutput } from '../output/replace-output';
import { refuseInputAsOutput } from '../output/same-file';
import { formatRunSummary } from '../summary/run-summary';

export const analyzeUsage = `earshot analyze <input …> --out session.json [--model DIR] [--context FILE] [--beam K] [--lattice-beam NATS] [--workers N] [--shard i/n]
  Decodes folders, manifests (Earshot, NeMo), Kaldi data dirs or LibriSpeech trees with both
  end-pointers and writes a session the workbench opens (results inline, written atomically).
  An input that cannot be decoded stays in the session with its error, and the run goes on.
  An existing --out is replaced only if it is an Earshot session (kept as <out>.bak); any other
  file is refused. --lattice-beam: how far (nats) below the best a word end may score and still
  stay in the lattice (default 8; beam search only, it never changes the hypotheses).
  Ctrl-C finishes the utterances in hand, saves them, and exits with 130.`;

async function importAll(inputs: string[]): Promise<Utterance[]> {
  const all: Utterance[] = [];
  for (const input of inputs) all.push(...(await importInput(input)).utterances);
  return all;
}

export async function analyzeCommand(argv: string[]): Promise<ExitCode> {
  const args = commandArgs(
    argv,
    { out: { type: 'string' }, model: { type: 'string' }, context: { type: 'string' }, beam: { type: 'string', default: '4' }, 'lattice-beam': { type: 'string' }, workers: { type: 'string' }, shard: { type: 'string' } },
    analyzeUsage,
  );
  if (!args) return EXIT.ok;
  const { values, positionals } = args;
  if (positionals.length === 0 || !values.out) throw new Error(`usage: ${analyzeUsage}`);
  const out = resolve(values.out);
  const modelDir = resolve(values.model ?? defaultModelDir());
  const model = describeModel(modelDir);
  const context = await readContextOption(values.context);
  const decoding = decodeOptionsSchema.parse({
    beam: positiveInteger('--beam', values.beam),
    latticeBeam: values['lattice-beam'] === undefined ? undefined : latticeBeam(values['lattice-beam']),
    context,
  });
  const knobs = modelDefaultKnobs(modelDir);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const workers = workerCount(values.workers, (m) => console.error(`analyze: ${m}`));
  if (!(await stat(dirname(out)).catch(() => undefined))?.isDirectory()) throw new Error(`--out ${values.out}: the folder ${dirname(out)} does not exist`);
  await refuseInputAsOutput(out, positionals);
  await checkReplaceableOutput(out, 'session');
  const all = await importAll(positionals);
  if (all.length === 0) throw new Error('the inputs hold no utterances');
  const utterances = inShard(all, shard);
  if (utterances.length === 0) {
    console.error(`analyze: shard ${shardLabel(shard)} holds none of the ${all.length} utterances; nothing to write`);
    return EXIT.ok;
  }
  for (const orphan of await removeOrphanTemps(dirname(out))) console.error(`analyze: removed ${orphan}, left by a run that was killed`);

  const pool = createEnginePool(Math.min(workers, utterances.length));
  const bar = progressBar('analyze');
  const signal = interruptSignal();
  const analyses: UtteranceAnalysis[] = [];
  const failures: FailedUtterance[] = [];
  let next = 0;
  const started = performance.now();
  // Lanes stop taking utterances on Ctrl-C; the ones in hand finish, so the session holds whole analyses.
  const lane = async (): Promise<void> => {
    while (next < utterances.length && !signal.aborted) {
      const utterance = utterances[next++];
      try {
        analyses.push(await pool.run<UtteranceAnalysis>('analyzeUtterance', utteranceTaskParams(utterance, { modelDir, decoding, knobs })));
      } catch (error) {
        failures.push({ utterance, error: error instanceof Error ? error.message : String(error) });
      }
      bar.update(analyses.length + failures.length, utterances.length, failures.length ? `${failures.length} failed` : utterance.id);
    }
  };
  try {
    await Promise.all(Array.from({ length: pool.size }, lane));
  } finally {
    bar.stop();
    await pool.close();
  }
  const order = new Map(utterances.map((u, i) => [u.id, i]));
  analyses.sort((a, b) => (order.get(a.utterance.id) ?? 0) - (order.get(b.utterance.id) ?? 0));
  const modelRef = { id: model.name, config: { dir: model.dir, ...decoding, variant: model.variant, ...(shard ? { shard: shardLabel(shard) } : {}) } };
  const session = await sessionOfAnalyses(analyses, modelRef, knobs, context.length ? [{ name: 'global', entries: context.map((c) => c.phrase) }] : [], failures);
  const { backup } = await checkReplaceableOutput(out, 'session', { backup: true });
  await saveSession(out, session, { guard: new PathGuard([dirname(out)]) });
  const interrupted = signal.aborted && analyses.length + failures.length < utterances.length;
  const elapsed = ((performance.now() - started) / 1000).toFixed(1);
  console.error(`analyze: ${analyses.length + failures.length} of ${utterances.length} utterances → ${values.out} in ${elapsed} s${backup ? ` (the session it replaced is kept as ${backup})` : ''}${interrupted ? ' (interrupted)' : ''}`);
  for (const f of failures) console.error(`  failed: ${f.utterance.id}: ${f.error}`);
  const dataset = summarizeDataset('analyze', analyses, 0);
  const referenced = analyses.filter((a) => a.errors !== null && a.errors.referenceWords > 0);
  const errors = referenced.reduce((n, a) => n + (a.errors?.errors ?? 0), 0);
  const referenceWords = referenced.reduce((n, a) => n + (a.errors?.referenceWords ?? 0), 0);
  const totals = {
    utterances: analyses.length + failures.length,
    failed: failures.length,
    words: referenced.length > 0 ? { errors, referenceWords, utterances: referenced.length } : null,
    endpoints: analyses.length > 0 ? dataset.endpointMetrics : null,
    lattice: analyses.length > 0 ? dataset.lattice : null,
  };
  for (const line of formatRunSummary(totals)) console.error(line);
  if (interrupted) return EXIT.interrupted;
  return failures.length > 0 ? EXIT.inputsFailed : EXIT.ok;
}
