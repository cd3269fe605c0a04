import { createHash } from 'node:crypto';
import type { DatasetSummary, EndpointKnobsPair, UtteranceAnalysis } from '@shared/domain/workbench';
import type { ModelRef, UtteranceAnnotation } from '@shared/domain/session';
import type { SessionAutosaver } from '@engine/session/autosave';
import type { EvaluationUtterance } from '@engine/endpoint/metrics';
import { datasetName } from './dataset-name';
import { evaluationUtteranceOf, type UtteranceReference } from '@engine/analysis/evaluation-utterance';
import type { RunState } from '@engine/runs/run-state';

interface DatasetEntry {
  summary: DatasetSummary;
  /** Analyses by utterance id, as the last analyzeDataset / analyzeUtterance left them. */
  analyses: Map<string, UtteranceAnalysis>;
  references: Map<string, UtteranceReference>;
}

/**
 * The session the workbench is editing: a data set's analyses plus what the researcher added.
 * `saver` exists once the session has a file; until then everything lives here.
 */
export interface CurrentSession {
  datasetId: string;
  model: ModelRef;
  knobs: EndpointKnobsPair;
  annotations: Record<string, UtteranceAnnotation>;
  view: Record<string, unknown>;
  /** The data set's runs, oldest first; the data set's analyses are the selected run's. */
  runs: RunState[];
  selectedRun: string | null;
  saver?: SessionAutosaver;
}

/**
 * The engine host's state, in one place: the data sets the user opened and their analyses,
 * so end-pointer evaluations and sweeps re-score cached traces without re-decoding.
 */
export class Workspace {
  private readonly datasets = new Map<string, DatasetEntry>();
  /** The session being edited, if a data set was analysed or a session opened. */
  current?: CurrentSession;

  addDataset(source: string, folder: string, kind: string, utterances: DatasetSummary['utterances']): DatasetSummary {
    const id = createHash('sha256').update(`${source}\n${utterances.length}`).digest('hex').slice(0, 12);
    const summary: DatasetSummary = { id, name: datasetName(source, source === folder), source, folder, kind, utterances };
    this.datasets.set(id, { summary, analyses: new Map(), references: new Map() });
    return summary;
  }

  dataset(id: string): DatasetEntry {
    const entry = this.datasets.get(id);
    if (!entry) throw Object.assign(new Error(`no open data set with id "${id}": open it first`), { code: 'not-found' });
    return entry;
  }

  /** Keeps an analysis (and the reference it was scored against) for later re-scoring. */
  remember(datasetId: string, analysis: UtteranceAnalysis, reference: UtteranceReference): void {
    const entry = this.datasets.get(datasetId);
    if (!entry) return;
    entry.analyses.set(analysis.utterance.id, analysis);
    entry.references.set(analysis.utterance.id, reference);
  }

  /** The data set's analyses become these (another run selected, or a run's decode finished). */
  replaceAnalyses(datasetId: string, analyses: ReadonlyArray<{ analysis: UtteranceAnalysis; reference: UtteranceReference }>): void {
    const entry = this.dataset(datasetId);
    entry.analyses.clear();
    entry.references.clear();
    for (const { analysis, reference } of analyses) this.remember(datasetId, analysis, reference);
  }

  analysis(datasetId: string, utteranceId: string): UtteranceAnalysis {
    const analysis = this.dataset(datasetId).analyses.get(utteranceId);
    if (!analysis) throw Object.assign(new Error(`utterance "${utteranceId}" has not been analysed`), { code: 'not-analysed' });
    return analysis;
  }

  /** Analyses in the data set's order (those that exist). */
  analyses(datasetId: string): UtteranceAnalysis[] {
    const entry = this.dataset(datasetId);
    return entry.summary.utterances.flatMap((u) => entry.analyses.get(u.id) ?? []);
  }

  /** The analysed utterances of a data set in its own order, ready for the end-pointer metrics. */
  evaluationUtterances(datasetId: string): EvaluationUtterance[] {
    const entry = this.dataset(datasetId);
    const out: EvaluationUtterance[] = [];
    for (const u of entry.summary.utterances) {
      const analysis = entry.analyses.get(u.id);
      if (analysis) out.push(evaluationUtteranceOf(u.id, analysis.decode, entry.references.get(u.id) ?? {}));
    }
    if (out.length === 0) throw Object.assign(new Error('the data set has not been analysed yet: run analyzeDataset first'), { code: 'not-analysed' });
    return out;
  }
}
