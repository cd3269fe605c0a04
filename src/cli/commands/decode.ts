import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { decodeOptionsSchema, fusionBoostSchema, fusionStyleSchema, lmBonusSchema, lmWeightSchema, tailPaddingSchema, type DecodeOptions, type FusionStyle } from '@shared/api';
import type { Utterance } from '@shared/domain/session';
import type { EndpointKnobsPair } from '@shared/domain/workbench';
import { resolveModelDir } from '@engine/asr/model-dir';
import { defaultBatchStreams } from '@engine/asr/batch-decoder';
import type { DecodeLine } from '@engine/analysis/decode-line';
import { defaultKnobsPair } from '@engine/endpoint/endpoint-config';
import { configPairFromKnobs } from '@engine/endpoint/dual-endpointer';
import { failedLine } from '@engine/dataset/result-line';
import { writeResultLines } from '@engine/dataset/write-result-lines';
import { removeOrphanTemps } from '@engine/session/orphan-temps';
import { utteranceTaskParams, type AnalyzeUtteranceParams, type FailedItem } from '../../host/worker-tasks';
import { batchedCalls } from '../batched-calls';
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
import { decodeRunOf, type DecodeRun } from '../output/decode-run';
import { prepareDecodeOutput } from '../output/decode-output';
import { refuseInputAsOutput } from '../output/same-file';
import { decodeFileTotals } from '../summary/decode-totals';
import { formatRunSummary } from '../summary/run-summary';

export const decodeUsage = `earshot decode <manifest.jsonl | folder> --out results.jsonl [--model DIR] [--variant int8|fp32]
               [--context FILE] [--beam K] [--lattice-beam NATS] [--max-symbols N] [--boost B] [--fusion words|sherpa]
               [--no-shallow-fusion] [--no-attention-bias] [--lm-weight W] [--lm-bonus B] [--tail-padding S]
               [--workers N] [--batch N] [--shard i/n]
  Decodes every input in parallel worker threads and writes one JSON line each: hyp, n-best,
  tokens with times, lattice arcs per second, bandwidth (the lattice as SLF and gzipped against
  16-bit PCM and Opus at a nominal 24 kbit/s), oracle errors of the n-best and the lattice
  (with a reference), decode time, both end-pointers' decisions, the
  per-frame trace that \`earshot sweep\` re-scores, repairs made to damaged audio, and the
  model and settings that made it (\`run\`). A folder with a manifest.jsonl is read through it.
  --lattice-beam: a word end scoring within this many nats of the best stays in the lattice as
    an arc (default 8; beam search only; it never changes the hypotheses).
  --max-symbols: tokens a path may emit per encoder frame, in greedy (--beam 1) and beam search;
  --boost: shallow-fusion bonus per matched token for list entries without their own.
  --fusion: words = list entries match whole words only and their bonus counts when the beam
    picks its paths; sherpa = anywhere, the bonus added after the pick, as sherpa-onnx's hotwords.
    All three default to what the model's model.json \`decode\` says, else 1, 1.5 and (Earshot
    models) words or (sherpa-onnx folders) sherpa.
  --lm-weight, --lm-bonus: beam search fuses the model's token LM (model.json \`decode.lm\`, an
    ARPA file over its tokens): each token scores W × ln P_LM plus B. Default: the model's
    weights; --lm-weight 0 decodes without it.
  --tail-padding: seconds of silence fed after each input, so the last word's frames reach the
    search (0 to 2; default: the model's model.json \`decode.tail_padding_s\`, else 0). Times,
    traces and lattices still end with the audio.
  --workers: threads (default and most: one per core). --shard i/n: decode only the i-th of n
    parts of the input (0 ≤ i < n, split by a hash of each id), for array jobs.
  --batch: utterances a worker decodes together, their chunks stacked into one encoder call
    (faster per utterance). Default 8 with float graphs, where every result is the one it gets
    alone; 1 with int8 graphs, whose batch shares one activation scale, so a 1-best can differ
    (--batch N there is recorded in \`run\`). decode_s is then the time an utterance spent in
    its batch.
  An existing --out written with the same model and settings is resumed: utterances already in
  it are skipped. Any other existing file is refused, never overwritten. Ctrl-C finishes the
  utterances in hand and exits with 130; a re-run resumes. Exit 2: some inputs failed.`;

function boostValue(value: string): number {
  const boost = fusionBoostSchema.safeParse(Number(value));
  if (!boost.success) throw new Error(`--boost must be a number from 0 to 20, not "${value}"`);
  return boost.data;
}

function numberIn(option: string, value: string, schema: typeof lmWeightSchema): number {
  const parsed = schema.safeParse(value.trim() === '' ? NaN : Number(value));
  if (!parsed.success) throw new Error(`${option} must be a number from ${schema.minValue} to ${schema.maxValue}, not "${value}"`);
  return parsed.data;
}

function fusionStyle(value: string): FusionStyle {
  const style = fusionStyleSchema.safeParse(value);
  if (!style.success) throw new Error(`--fusion must be words or sherpa, not "${value}"`);
  return style.data;
}

export async function decodeCommand(argv: string[]): Promise<ExitCode> {
  const args = commandArgs(
    argv,
    {
      out: { type: 'string' },
      model: { type: 'string' },
      variant: { type: 'string', default: 'int8' },
      context: { type: 'string' },
      beam: { type: 'string', default: '4' },
      'lattice-beam': { type: 'string' },
      'max-symbols': { type: 'string' },
      boost: { type: 'string' },
      fusion: { type: 'string' },
      'no-shallow-fusion': { type: 'boolean', default: false },
      'no-attention-bias': { type: 'boolean', default: false },
      'lm-weight': { type: 'string' },
      'lm-bonus': { type: 'string' },
      'tail-padding': { type: 'string' },
      workers: { type: 'string' },
      batch: { type: 'string' },
      shard: { type: 'string' },
    },
    decodeUsage,
  );
  if (!args) return EXIT.ok;
  const { values, positionals } = args;
  if (positionals.length !== 1 || !values.out) throw new Error(`usage: ${decodeUsage}`);
  if (values.variant !== 'int8' && values.variant !== 'fp32') throw new Error(`--variant must be int8 or fp32, not "${values.variant}"`);
  const modelDir = resolve(values.model ?? defaultModelDir());
  const spec = resolveModelDir(modelDir, { variant: values.variant }); // a broken model fails here, before any work
  const decoding = decodeOptionsSchema.parse({
    beam: positiveInteger('--beam', values.beam),
    latticeBeam: values['lattice-beam'] === undefined ? undefined : latticeBeam(values['lattice-beam']),
    maxSymbolsPerFrame: values['max-symbols'] === undefined ? undefined : positiveInteger('--max-symbols', values['max-symbols']),
    context: await readContextOption(values.context),
    shallowFusion: !values['no-shallow-fusion'],
    fusionBoost: values.boost === undefined ? undefined : boostValue(values.boost),
    fusion: values.fusion === undefined ? undefined : fusionStyle(values.fusion),
    attentionBias: !values['no-attention-bias'],
    lmWeight: values['lm-weight'] === undefined ? undefined : numberIn('--lm-weight', values['lm-weight'], lmWeightSchema),
    lmBonus: values['lm-bonus'] === undefined ? undefined : numberIn('--lm-bonus', values['lm-bonus'], lmBonusSchema),
    tailPaddingS: values['tail-padding'] === undefined ? undefined : numberIn('--tail-padding', values['tail-padding'], tailPaddingSchema),
    variant: values.variant,
  });
  const knobs = defaultKnobsPair(spec);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const workers = workerCount(values.workers, (m) => console.error(`decode: ${m}`));
  const batch = values.batch === undefined ? defaultBatchStreams(spec) : positiveInteger('--batch', values.batch);

  const input = positionals[0];
  const out = resolve(values.out);
  if (!(await stat(dirname(out)).catch(() => undefined))?.isDirectory()) throw new Error(`--out ${values.out}: the folder ${dirname(out)} does not exist`);
  await refuseInputAsOutput(out, [input]);
  const all = (await importInput(input)).utterances;
  if (all.length === 0) throw new Error(`${input} holds no audio to decode`);
  const utterances = inShard(all, shard);
  if (utterances.length === 0) {
    // A small data set split many ways leaves some shards empty; merge --input knows to expect none.
    console.error(`decode: shard ${shardLabel(shard)} holds none of the ${all.length} utterances of ${input}; nothing to write`);
    return EXIT.ok;
  }
  const run = await decodeRunOf(spec, decoding, knobs, shardLabel(shard), batch);
  const existing = await prepareDecodeOutput(out, run);
  if (existing.mended) console.error(`decode: ${values.out}: ${existing.mended}`);
  for (const orphan of await removeOrphanTemps(dirname(out))) console.error(`decode: removed ${orphan}, left by a run that was killed`);
  const todo = utterances.filter((u) => !existing.written.has(u.id));
  if (existing.written.size > 0) console.error(`decode: resuming ${values.out}: ${utterances.length - todo.length} of ${utterances.length} utterances are already there`);

  const cancelled = todo.length > 0 && (await decodeInto(out, todo, { modelDir, decoding, knobs, run, workers, batch }));
  const totals = await decodeFileTotals(out, configPairFromKnobs(knobs));
  console.error(`${values.out}: ${totals.utterances} of ${utterances.length} utterances${shard ? ` of shard ${shardLabel(shard)}` : ''}`);
  for (const line of formatRunSummary(totals)) console.error(line);
  if (cancelled) return EXIT.interrupted;
  return totals.failed > 0 ? EXIT.inputsFailed : EXIT.ok;
}

interface DecodeSettings {
  modelDir: string;
  decoding: DecodeOptions;
  knobs: EndpointKnobsPair;
  run: DecodeRun;
  workers: number;
  /** Utterances per worker task, decoded as batched streams. */
  batch: number;
}

/** Appends a line per utterance to `out`; true when Ctrl-C stopped it before the end. */
async function decodeInto(out: string, todo: Utterance[], settings: DecodeSettings): Promise<boolean> {
  const { modelDir, decoding, knobs, run, batch } = settings;
  const pool = createEnginePool(Math.min(settings.workers, todo.length));
  // A small data set is spread over every worker rather than filling one batch.
  const perTask = Math.max(1, Math.min(batch, Math.ceil(todo.length / pool.size)));
  const decodeLine =
    perTask > 1
      ? batchedCalls(perTask, (items: AnalyzeUtteranceParams[]) => pool.run<Array<DecodeLine | FailedItem>>('decodeLines', { items, streams: perTask }))
      : (params: AnalyzeUtteranceParams) => pool.run<DecodeLine | FailedItem>('decodeLine', params);
  const bar = progressBar('decode');
  const signal = interruptSignal();
  try {
    // The signal goes to writeResultLines only: utterances in flight finish, so every line is whole.
    const summary = await writeResultLines({
      items: todo,
      // Enough in flight for every worker to hold a full batch.
      slots: pool.size * perTask,
      out,
      signal,
      onProgress: (p) => bar.update(p.done, p.total, p.failed ? `${p.failed} failed` : ''),
      run: async (utterance) => {
        const failed = (message: string) => ({ ...failedLine(utterance.id, utterance.audio, utterance.text, message), run });
        try {
          const line = await decodeLine(utteranceTaskParams(utterance, { modelDir, decoding, knobs }));
          return 'error' in line && !('id' in line) ? failed(line.error) : { ...line, run };
        } catch (error) {
          return failed(error instanceof Error ? error.message : String(error));
        }
      },
    });
    bar.stop();
    console.error(`decode: ${summary.done} of ${todo.length} decoded now${summary.failed ? ` (${summary.failed} failed)` : ''} in ${summary.elapsedS.toFixed(1)} s${summary.cancelled ? ' (interrupted: run the same command again to resume)' : ''}`);
    return summary.cancelled;
  } finally {
    bar.stop();
    await pool.close();
  }
}
