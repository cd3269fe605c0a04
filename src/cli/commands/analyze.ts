import { parseArgs } from 'node:util';
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { decodeOptionsSchema } from '@shared/api';
import type { Utterance } from '@shared/domain/session';
import type { UtteranceAnalysis } from '@shared/domain/workbench';
import { importDataset } from '@engine/session/import/import-dataset';
import { PathGuard } from '@engine/session/path-guard';
import { saveSession } from '@engine/session/save-session';
import { parseContextList } from '@engine/bias/context-list';
import { defaultEndpointKnobs, defaultSpeculativeKnobs } from '@engine/endpoint/endpoint-config';
import { sessionOfAnalyses } from '@engine/analysis/session-of-analyses';
import { describeModel } from '@engine/asr/model-info';
import { utteranceTaskParams } from '../../host/worker-tasks';
import { createEnginePool } from '../engine-pool';
import { defaultModelDir } from '../default-model';
import { progressBar } from '../progress';
import { interruptSignal } from '../interrupt';

export const analyzeUsage = `earshot analyze <input …> --out session.json [--model DIR] [--context FILE] [--beam K]
  Decodes folders, manifests (Earshot, NeMo), Kaldi data dirs or LibriSpeech trees with both
  end-pointers and writes a session the workbench opens (results inline, written atomically).`;

async function importAll(inputs: string[]): Promise<Utterance[]> {
  const all: Utterance[] = [];
  for (const input of inputs.map((i) => resolve(i))) {
    const info = await stat(input).catch(() => undefined);
    if (!info) throw new Error(`no such file or folder: ${input}`);
    const guard = new PathGuard([info.isDirectory() ? input : dirname(input)]);
    all.push(...(await importDataset(input, { guard })).utterances);
  }
  return all;
}

export async function analyzeCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, model: { type: 'string' }, context: { type: 'string' }, beam: { type: 'string', default: '4' } },
  });
  if (positionals.length === 0 || !values.out) throw new Error(`usage: ${analyzeUsage}`);
  const out = resolve(values.out);
  const modelDir = resolve(values.model ?? defaultModelDir());
  const model = describeModel(modelDir);
  const context = values.context ? parseContextList(await readFile(values.context, 'utf8')) : [];
  const decoding = decodeOptionsSchema.parse({ beam: Number(values.beam), context });
  const knobs = { speculative: defaultSpeculativeKnobs, final: defaultEndpointKnobs };
  const utterances = await importAll(positionals);
  if (utterances.length === 0) throw new Error('the inputs hold no utterances');

  const pool = createEnginePool();
  const bar = progressBar('analyze');
  const signal = interruptSignal();
  const analyses: UtteranceAnalysis[] = [];
  let done = 0;
  try {
    await Promise.all(
      utterances.map(async (utterance) => {
        analyses.push(await pool.run<UtteranceAnalysis>('analyzeUtterance', utteranceTaskParams(utterance, { modelDir, decoding, knobs }), { signal }));
        bar.update(++done, utterances.length, utterance.id);
      }),
    );
  } finally {
    bar.stop();
    await pool.close();
  }
  const order = new Map(utterances.map((u, i) => [u.id, i]));
  analyses.sort((a, b) => (order.get(a.utterance.id) ?? 0) - (order.get(b.utterance.id) ?? 0));
  const session = await sessionOfAnalyses(analyses, { id: model.name, config: { dir: model.dir, ...decoding, variant: model.variant } }, knobs, context.length ? [{ name: 'global', entries: context.map((c) => c.phrase) }] : []);
  await saveSession(out, session, { guard: new PathGuard([dirname(out)]) });
  console.error(`analyze: ${analyses.length} utterances → ${out}`);
}
