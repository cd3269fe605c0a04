import { createHash } from 'node:crypto';
import type { DatasetSummary, UtteranceAnalysis } from '@shared/domain/workbench';
import type { EvaluationUtterance } from '@engine/endpoint/metrics';
import { evaluationUtteranceOf, type UtteranceReference } from '@engine/analysis/evaluation-utterance';

interface DatasetEntry {
  summary: DatasetSummary;
  /** Analyses by utterance id, as the last analyzeDataset / analyzeUtterance left them. */
  analyses: Map<string, UtteranceAnalysis>;
  references: Map<string, UtteranceReference>;
}

/**
 * The engine host's state, in one place: the data sets the user opened and their analyses,
 * so end-pointer evaluations and sweeps re-score cached traces without re-decoding.
 */
export class Workspace {
  private readonly datasets = new Map<string, DatasetEntry>();

  addDataset(source: string, kind: string, utterances: DatasetSummary['utterances']): DatasetSummary {
    const id = createHash('sha256').update(`${source}\n${utterances.length}`).digest('hex').slice(0, 12);
    const summary: DatasetSummary = { id, source, kind, utterances };
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
