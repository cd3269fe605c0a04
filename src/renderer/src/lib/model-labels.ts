import type { ModelListing, ModelSummary } from '@shared/domain/models';

const SOURCE_LABELS: Record<ModelListing['source'], string> = { user: 'downloaded', shipped: 'shipped', given: '--model' };

export function sourceLabel(source: ModelListing['source']): string {
  return SOURCE_LABELS[source];
}

/**
 * One line about a model: type, vocabulary, chunk, for Earshot models sparsity, biasing and the threshold of its
 * end-of-query head, and its token LM's weight.
 */
export function summaryLine(s: ModelSummary): string {
  const parts = [s.modelType, `${s.vocabSize} tokens`, `${s.chunkMs} ms chunks`, `${s.features.num_mel_bins ?? s.features.numMelBins ?? 80} mel`];
  if (s.sparsity !== null) parts.push(`${Math.round(s.sparsity * 100)} % sparse`);
  if (s.biasing) parts.push(s.biasing.attention ? 'attention biasing' : 'no attention biasing');
  if (s.eoqThreshold !== undefined) parts.push(`end-of-query ≥ ${s.eoqThreshold}`);
  if (s.lm) parts.push(`token LM ${s.lm.weight}`);
  return parts.join(' · ');
}

/** A content hash, short enough to read and compare at a glance. */
export const shortHash = (sha256: string): string => sha256.slice(0, 8);
