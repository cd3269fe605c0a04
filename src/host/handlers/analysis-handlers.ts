import { dirname } from 'node:path';
import { stat } from 'node:fs/promises';
import { ApiError } from '@shared/protocol';
import type { DecodeOptions, EndpointPair } from '@shared/api';
import type { UtteranceAnalysis } from '@shared/domain/workbench';
import type { Utterance } from '@shared/domain/session';
import { importDataset } from '@engine/session/import/import-dataset';
import { SessionError } from '@engine/session/session-error';
import { modelDefaultKnobs } from '@engine/endpoint/model-knobs';
import { configPairFromKnobs } from '@engine/endpoint/dual-endpointer';
import { evaluatePair } from '@engine/endpoint/metrics';
import { modelRefOf } from '@engine/models/model-provenance';
import { randomUUID } from 'node:crypto';
import type { RunContext } from '@shared/domain/session';
import { nextRunName, runDecodingOf, sameRunSettings, utteranceForRun } from '@engine/runs/run-settings';
import { selectRun } from './run-handlers';
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

/** The request's model folder, where the roots allow it. */
function modelDirOf(request: AnalysisRequest, ctx: JobContext): string {
  return ctx.files.check(request.modelDir ?? ctx.paths.modelDir, 'the model folder');
}

/** What a worker needs to analyse one utterance of a request; it reads only what the roots allow. */
function analysisParams(utterance: Utterance, request: AnalysisRequest, ctx: JobContext, streamPartials: boolean): AnalyzeUtteranceParams {
  const modelDir = modelDirOf(request, ctx);
  const audio = ctx.files.check(utterance.audio, `the audio of utterance ${utterance.id}`);
  return utteranceTaskParams({ ...utterance, audio }, { modelDir, decoding: request.decoding, knobs: request.endpoints ?? modelDefaultKnobs(modelDir) }, streamPartials);
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
      const { datasetId, modelDir, decoding, runName, contextMode } = request;
      const { summary: dataset } = workspace.dataset(datasetId);
      // One pair for the whole run, the model's own where the request names none.
      const knobs = request.endpoints ?? modelDefaultKnobs(modelDirOf(request, ctx));
      const context: RunContext = { mode: contextMode, entries: decoding.context.map((c) => ({ ...c })) };
      const started = performance.now();
      let done = 0;
      // Nothing replaces the selected run's analyses until every utterance is decoded: a cancel leaves it whole.
      const analyses = await Promise.all(
        dataset.utterances.map(async (utterance) => {
          const analysis = await analyze(ctx, analysisParams(utteranceForRun(utterance, context), { ...request, endpoints: knobs }, ctx, false));
          ctx.progress(++done, dataset.utterances.length, utterance.id);
          return analysis;
        }),
      );
      const made = analyses.find((a) => a.model)?.model;
      const model = made ? modelRefOf(made) : { id: modelDir ?? ctx.paths.modelDir, config: { ...decoding } };
      // Re-analysing the data set of the session in hand keeps its annotations, file and runs.
      const kept = workspace.current?.datasetId === datasetId ? workspace.current : undefined;
      if (!kept) await workspace.current?.saver?.dispose();
      const runs = kept?.runs ?? [];
      const settings = { model, decoding: runDecodingOf(decoding), context, endpoints: { ...knobs } };
      const decodes = new Map(analyses.map((a) => [a.utterance.id, a.decode]));
      let run = runs.find((r) => sameRunSettings(r.meta, settings));
      if (run) {
        // The same settings again (a re-analysis): that run's results are replaced, not duplicated.
        run.meta = { ...run.meta, ...settings, name: runName ?? run.meta.name };
        run.decodes = decodes;
        run.errors = new Map();
      } else {
        run = { meta: { id: `run-${randomUUID().slice(0, 8)}`, name: runName ?? nextRunName(runs.map((r) => r.meta.name)), createdAt: new Date().toISOString(), ...settings }, decodes, errors: new Map() };
        runs.push(run);
      }
      workspace.current = { datasetId, model, knobs, annotations: kept?.annotations ?? {}, view: kept?.view ?? {}, runs, selectedRun: run.meta.id, saver: kept?.saver };
      const summary = selectRun(workspace, workspace.current, run);
      return { ...summary, decodeS: (performance.now() - started) / 1000, ...(made ? { model: made } : {}) };
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
