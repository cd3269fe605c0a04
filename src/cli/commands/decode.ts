import { parseArgs } from 'node:util';
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { decodeOptionsSchema, fusionBoostSchema } from '@shared/api';
import type { Utterance } from '@shared/domain/session';
import { importDataset } from '@engine/session/import/import-dataset';
import { PathGuard } from '@engine/session/path-guard';
import { parseContextList } from '@engine/bias/context-list';
import { resolveModelDir } from '@engine/asr/model-dir';
import { defaultEndpointKnobs, defaultSpeculativeKnobs } from '@engine/endpoint/endpoint-config';
import { failedLine } from '@engine/dataset/result-line';
import { writeResultLines } from '@engine/dataset/write-result-lines';
import { utteranceTaskParams } from '../../host/worker-tasks';
import { createEnginePool } from '../engine-pool';
import { defaultModelDir } from '../default-model';
import { progressBar } from '../progress';
import { interruptSignal } from '../interrupt';

export const decodeUsage = `earshot decode <manifest.jsonl | folder> --out results.jsonl [--model DIR] [--variant int8|fp32]
               [--context FILE] [--beam K] [--max-symbols N] [--boost B] [--no-shallow-fusion] [--no-attention-bias] [--workers N]
  (--max-symbols: tokens a path may emit per encoder frame, in greedy (--beam 1) and beam search;
   --boost: shallow-fusion bonus per matched token for list entries without their own.
   Both default to what the model's model.json \`decode\` says, else 1 and 1.5 as in sherpa-onnx.)
  Decodes every input in parallel worker threads and writes one JSON line each: hyp, n-best,
  tokens with times, lattice and audio sizes, decode time, both end-pointers' decisions, and
  the per-frame trace that \`earshot sweep\` re-scores. Ctrl-C keeps the lines already written.`;

function positiveInteger(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1, not "${value}"`);
  return n;
}

async function importInput(input: string): Promise<Utterance[]> {
  const info = await stat(input).catch(() => undefined);
  if (!info) throw new Error(`no such file or folder: ${input}`);
  return (await importDataset(input, { guard: new PathGuard([info.isDirectory() ? input : dirname(input)]) })).utterances;
}

function boostValue(value: string): number {
  const boost = fusionBoostSchema.safeParse(Number(value));
  if (!boost.success) throw new Error(`--boost must be a number from 0 to 20, not "${value}"`);
  return boost.data;
}

export async function decodeCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      model: { type: 'string' },
      variant: { type: 'string', default: 'int8' },
      context: { type: 'string' },
      beam: { type: 'string', default: '4' },
      'max-symbols': { type: 'string' },
      boost: { type: 'string' },
      'no-shallow-fusion': { type: 'boolean', default: false },
      'no-attention-bias': { type: 'boolean', default: false },
      workers: { type: 'string' },
    },
  });
  if (positionals.length !== 1 || !values.out) throw new Error(`usage: ${decodeUsage}`);
  const modelDir = resolve(values.model ?? defaultModelDir());
  const variant = values.variant === 'fp32' ? 'fp32' : 'int8';
  resolveModelDir(modelDir, { variant }); // a broken model fails here, with a clear message, before any work
  const context = values.context ? parseContextList(await readFile(values.context, 'utf8')) : [];
  const decoding = decodeOptionsSchema.parse({
    beam: positiveInteger('--beam', values.beam),
    maxSymbolsPerFrame: values['max-symbols'] === undefined ? undefined : positiveInteger('--max-symbols', values['max-symbols']),
    context,
    shallowFusion: !values['no-shallow-fusion'],
    fusionBoost: values.boost === undefined ? undefined : boostValue(values.boost),
    attentionBias: !values['no-attention-bias'],
    variant,
  });
  const knobs = { speculative: defaultSpeculativeKnobs, final: defaultEndpointKnobs };
  const utterances = await importInput(resolve(positionals[0]));
  if (utterances.length === 0) throw new Error(`${positionals[0]} holds no audio to decode`);

  const pool = createEnginePool(values.workers ? positiveInteger('--workers', values.workers) : undefined);
  const bar = progressBar('decode');
  const signal = interruptSignal();
  try {
    const summary = await writeResultLines({
      items: utterances,
      slots: pool.size,
      out: resolve(values.out),
      signal,
      onProgress: (p) => bar.update(p.done, p.total, p.failed ? `${p.failed} failed` : ''),
      run: async (utterance) => {
        try {
          return await pool.run<object>('decodeLine', utteranceTaskParams(utterance, { modelDir, decoding, knobs }), { signal });
        } catch (error) {
          if (signal.aborted) throw error;
          return failedLine(utterance.audio, utterance.text, error instanceof Error ? error.message : String(error));
        }
      },
    });
    bar.stop();
    console.error(`decode: ${summary.done}/${summary.total} lines → ${values.out}${summary.failed ? `, ${summary.failed} failed` : ''}${summary.cancelled ? ' (interrupted)' : ''} in ${summary.elapsedS.toFixed(1)} s`);
  } finally {
    bar.stop();
    await pool.close();
  }
}
