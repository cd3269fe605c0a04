import { dirname } from 'node:path';
import { stat } from 'node:fs/promises';
import { ApiError } from '@shared/protocol';
import type { DecodeOptions, EndpointPair } from '@shared/api';
import type { UtteranceAnalysis } from '@shared/domain/workbench';
import type { Utterance } from '@shared/domain/session';
import { importDataset } from '@engine/session/import/import-dataset';
import { SessionError } from '@engine/session/session-error';
import { summarizeDataset } from '@engine/analysis/analyze-utterance';
import { defaultKnobsPair } from '@engine/endpoint/endpoint-config';
import { configPairFromKnobs } from '@engine/endpoint/dual-endpointer';
import { evaluatePair } from '@engine/endpoint/metrics';
import { modelRefOf } from '@engine/models/model-provenance';
import { sessionOfAnalyses } from '@engine/analysis/session-of-analyses';
import { defaultSweepOptions, runSweep } from '@engine/endpoint/sweep';
import type { Handlers } from '../dispatch';
import { autosavePath } from '../autosave-path';
import type { JobContext } from '../job-context';
import { utteranceTaskParams, type AnalyzeUtteranceParams } from '../worker-tasks';
import type { Workspace } from '../workspace';

function analyze(ctx: JobContext, params: AnalyzeUtteranceParams, urgent = false): Promise<UtteranceAnalysis> {
  return ctx.pool.run<UtteranceAnalysis>('analyzeUtterance', params, {
    urgent,
    signal: ctx.signal,
    onPartial: params.streamPartials ? (data) => ctx.emit({ kind: 'partial', data }) : undefined,
  });
}

interface AnalysisRequest {
  modelDir?: string;
  decoding: DecodeOptions;
  endpoints?: EndpointPair;
}

/** What a worker needs to analyse one utterance of a request; it reads only what the roots allow. */
function analysisParams(utterance: Utterance, request: AnalysisRequest, ctx: JobContext, streamPartials: boolean): AnalyzeUtteranceParams {
  const modelDir = ctx.files.check(request.modelDir ?? ctx.paths.modelDir, 'the model folder');
  const audio = ctx.files.check(utterance.audio, `the audio of utterance ${utterance.id}`);
  return utteranceTaskParams({ ...utterance, audio }, { modelDir, decoding: request.decoding, knobs: request.endpoints ?? defaultKnobsPair() }, streamPartials);
}

export function analysisHandlers(workspace: Workspace): Pick<Handlers, 'openDataset' | 'analyzeUtterance' | 'analyzeDataset' | 'evaluateEndpoints' | 'sweepEndpoints'> {
  return {
    async openDataset({ path }, ctx) {
      const real = ctx.files.check(path, 'the data set');
      const info = await stat(real).catch(() => undefined);
      if (!info) throw new ApiError('not-found', `no such file or folder: ${path}`);
      const folder = info.isDirectory() ? path : dirname(path);
      try {
        // Its lines may name audio anywhere inside the roots (NeMo manifests carry absolute paths).
        const { kind, utterances } = await importDataset(real, { guard: ctx.files.guard() });
        const summary = workspace.addDataset(path, folder, kind, utterances);
        // Opening a data set starts a new session in the window: the host must not keep the last
        // page's annotations on it (a reload would show them again while offering them back).
        if (workspace.current?.datasetId === summary.id) {
          await workspace.current.saver?.dispose();
          workspace.current = undefined;
        }
        const autosave = autosavePath(ctx.paths, summary.id);
        const saved = await stat(autosave).catch(() => undefined);
        return saved ? { ...summary, autosave, autosaveAt: saved.mtime.toISOString() } : summary;
      } catch (error) {
        if (error instanceof SessionError) throw new ApiError(error.code, error.message);
        throw error;
      }
    },

    async analyzeUtterance(request, ctx) {
      return analyze(ctx, analysisParams(request.utterance, request, ctx, true), true);
    },

    async analyzeDataset(request, ctx) {
      const { datasetId, modelDir, decoding, endpoints } = request;
      const { summary: dataset } = workspace.dataset(datasetId);
      const started = performance.now();
      let done = 0;
      const analyses = await Promise.all(
        dataset.utterances.map(async (utterance) => {
          const params = analysisParams(utterance, request, ctx, false);
          const analysis = await analyze(ctx, params);
          workspace.remember(datasetId, analysis, params.reference);
          ctx.progress(++done, dataset.utterances.length, utterance.id);
          return analysis;
        }),
      );
      const knobs = endpoints ?? defaultKnobsPair();
      const made = analyses.find((a) => a.model)?.model;
      const model = made ? modelRefOf(made) : { id: modelDir ?? ctx.paths.modelDir, config: { ...decoding } };
      // Re-analysing the data set of the session in hand keeps its annotations and file.
      const kept = workspace.current?.datasetId === datasetId ? workspace.current : undefined;
      if (!kept) await workspace.current?.saver?.dispose();
      else if (kept.saver) {
        // The session file gets the new results and the model that made them (a switched model included).
        const fresh = await sessionOfAnalyses(analyses, model, knobs);
        kept.saver.update((old) => ({ ...old, model: fresh.model, recordings: fresh.recordings, utterances: fresh.utterances }));
      }
      workspace.current = { datasetId, model, knobs, annotations: kept?.annotations ?? {}, view: kept?.view ?? {}, saver: kept?.saver };
      const summary = summarizeDataset(datasetId, analyses, (performance.now() - started) / 1000);
      return made ? { ...summary, model: made } : summary;
    },

    async evaluateEndpoints({ datasetId, endpoints, outcomeIds }) {
      const { outcomes, metrics } = evaluatePair(workspace.evaluationUtterances(datasetId), configPairFromKnobs(endpoints));
      // While a threshold moves the view wants the data set's metrics but one utterance's outcome.
      const wanted = outcomeIds && new Set(outcomeIds);
      return { outcomes: wanted ? outcomes.filter((o) => wanted.has(o.id)) : outcomes, metrics };
    },

    async sweepEndpoints({ datasetId, finalCutoffBudget, speculativeCutoffBudget, noFireBudget, speculativeLeadS }, ctx) {
      const utterances = workspace.evaluationUtterances(datasetId);
      return runSweep(utterances, { ...defaultSweepOptions, finalCutoffBudget, speculativeCutoffBudget, noFireBudget, speculativeLeadS }, {
        onProgress: (done, total) => ctx.progress(done, total),
        signal: ctx.signal,
      });
    },
  };
}
