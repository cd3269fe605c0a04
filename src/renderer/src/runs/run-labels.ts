import type { RunSummary } from '@shared/domain/runs';

/** A run's settings in a line: model, search, biasing. */
export function describeRunSettings(run: Pick<RunSummary, 'model' | 'decoding' | 'context'>): string {
  const d = run.decoding;
  const search = d.beam > 1 ? `beam ${d.beam}` : 'greedy';
  const symbols = d.maxSymbolsPerFrame === undefined ? '' : `, ${d.maxSymbolsPerFrame} sym/frame`;
  const names = run.context.entries.length;
  const context = run.context.mode === 'list' ? `one list of ${names}` : names ? `utterance names + ${names}` : 'utterance names';
  const biasing = [d.shallowFusion ? `fusion${d.fusionBoost === undefined ? '' : ` ${d.fusionBoost}`}` : 'no fusion', d.attentionBias ? 'attention' : 'no attention'].join(', ');
  return `${run.model.id} · ${search}${symbols} · ${context} · ${biasing}`;
}

/** What the re-run form proposes to call the run it would make, from what it changes. */
export function suggestRunName(change: { contextMode: 'per-utterance' | 'list'; entries: number; beam: number; shallowFusion: boolean; attentionBias: boolean; boost: number | null }, taken: readonly string[]): string {
  const parts = [
    change.contextMode === 'list' ? `list of ${change.entries}` : change.entries ? `names + ${change.entries}` : '',
    change.beam !== 4 ? `beam ${change.beam}` : '',
    change.boost === null ? '' : `boost ${change.boost}`,
    change.shallowFusion ? '' : 'no fusion',
    change.attentionBias ? '' : 'no attention',
  ].filter(Boolean);
  const base = parts.join(', ') || 'again';
  let name = base;
  for (let n = 2; taken.includes(name); n++) name = `${base} (${n})`;
  return name;
}
