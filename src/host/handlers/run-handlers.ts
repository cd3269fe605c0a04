import { ApiError } from '@shared/protocol';
import type { DatasetAnalysis } from '@shared/domain/workbench';
import type { RunList } from '@shared/domain/runs';
import { summarizeDataset } from '@engine/analysis/analyze-utterance';
import { endpointRecordsOf } from '@engine/analysis/session-of-analyses';
import { evaluationUtteranceOf } from '@engine/analysis/evaluation-utterance';
import { compareRuns } from '@engine/compare/compare-runs';
import { defaultSweepOptions, runSweep } from '@engine/endpoint/sweep';
import { analysesOfRun, comparisonInputsOf, runKnobs, runSummaryOf, type ScoredUtterance } from '@engine/runs/run-analyses';
import type { RunState } from '@engine/runs/run-state';
import { withSelectedRun } from '@engine/runs/run-state';
import type { Handlers } from '../dispatch';
import type { CurrentSession, Workspace } from '../workspace';

function requireSession(workspace: Workspace): CurrentSession {
  if (!workspace.current) throw new ApiError('no-session', 'no session is open: open a data set and analyse it, or open a session file');
  return workspace.current;
}

function requireRun(current: CurrentSession, runId: string): RunState {
  const run = current.runs.find((r) => r.meta.id === runId);
  if (!run) throw new ApiError('not-found', `no run with id "${runId}" in this session`);
  return run;
}

function scoredRun(workspace: Workspace, current: CurrentSession, run: RunState): ScoredUtterance[] {
  return analysesOfRun(run, workspace.dataset(current.datasetId).summary.utterances, current.annotations);
}

export function runList(workspace: Workspace, current: CurrentSession): RunList {
  return { runs: current.runs.map((run) => runSummaryOf(run, scoredRun(workspace, current, run))), selected: current.selectedRun };
}

/**
 * Makes a run the session's selected one: the data set's analyses, the knobs and the session
 * file's results become its own, so the sidebar, the summary and the tuning panel follow it.
 */
export function selectRun(workspace: Workspace, current: CurrentSession, run: RunState): DatasetAnalysis {
  const scored = scoredRun(workspace, current, run);
  workspace.replaceAnalyses(current.datasetId, scored);
  current.selectedRun = run.meta.id;
  current.knobs = runKnobs(run);
  current.model = run.meta.model;
  const byId = new Map(scored.map((s) => [s.analysis.utterance.id, s.analysis]));
  current.saver?.update((old) => withSelectedRun(old, run, (id) => endpointRecordsOf(byId.get(id)!)));
  const unannotated = new Map(scored.flatMap((s) => (s.unannotated ? [[s.analysis.utterance.id, s.unannotated] as const] : [])));
  const analyses = scored.map((s) => s.analysis);
  const summary = summarizeDataset(current.datasetId, analyses, 0, unannotated);
  return analyses[0]?.model ? { ...summary, model: analyses[0].model } : summary;
}

/** The final end-pointer's Pareto front over a run's decodes (p50 latency against cut-off rate). */
async function frontOf(scored: readonly ScoredUtterance[], signal: AbortSignal): Promise<Array<{ latencyP50S: number; cutoffRate: number }>> {
  if (scored.length === 0) return [];
  const utterances = scored.map((s) => evaluationUtteranceOf(s.analysis.utterance.id, s.analysis.decode, s.reference));
  const sweep = await runSweep(utterances, defaultSweepOptions, { signal });
  return sweep.paretoFront.flatMap((i) => {
    const p = sweep.points[i];
    return p.latencyP50S === null ? [] : [{ latencyP50S: p.latencyP50S, cutoffRate: p.cutoffRate }];
  });
}

export function runHandlers(workspace: Workspace): Pick<Handlers, 'listRuns' | 'selectRun' | 'renameRun' | 'deleteRun' | 'compareRuns'> {
  return {
    async listRuns() {
      return workspace.current ? runList(workspace, workspace.current) : { runs: [], selected: null };
    },

    async selectRun({ runId }) {
      const current = requireSession(workspace);
      const analysis = selectRun(workspace, current, requireRun(current, runId));
      return { analysis, knobs: current.knobs, runs: runList(workspace, current) };
    },

    async renameRun({ runId, name }) {
      const current = requireSession(workspace);
      const run = requireRun(current, runId);
      if (current.runs.some((r) => r !== run && r.meta.name === name)) throw new ApiError('invalid-params', `another run is already called "${name}"`);
      run.meta = { ...run.meta, name };
      return runList(workspace, current);
    },

    async deleteRun({ runId }) {
      const current = requireSession(workspace);
      requireRun(current, runId);
      if (current.selectedRun === runId) throw new ApiError('invalid-params', 'the selected run cannot be deleted: select another run first');
      current.runs = current.runs.filter((r) => r.meta.id !== runId);
      return runList(workspace, current);
    },

    async compareRuns({ runA, runB, resamples, seed }, ctx) {
      const current = requireSession(workspace);
      const [a, b] = [requireRun(current, runA), requireRun(current, runB)];
      const [scoredA, scoredB] = [scoredRun(workspace, current, a), scoredRun(workspace, current, b)];
      const inputs = comparisonInputsOf(scoredA, scoredB);
      if (inputs.length === 0) throw new ApiError('invalid-params', `runs "${a.meta.name}" and "${b.meta.name}" have no decoded utterance in common`);
      const [frontA, frontB] = await Promise.all([frontOf(scoredA, ctx.signal), frontOf(scoredB, ctx.signal)]);
      return {
        a: runSummaryOf(a, scoredA),
        b: runSummaryOf(b, scoredB),
        comparison: compareRuns(inputs, { resamples, seed }),
        fronts: { a: frontA, b: frontB },
      };
    },
  };
}
