import type { RunSummary } from '@shared/domain/runs';

/** "LM 0.4" (with its bonus where one was set) or "no LM"; empty where the LM is not known (a model without one). */
export function lmLabel(weight: number | undefined, bonus?: number): string {
  if (weight === undefined) return '';
  if (weight === 0) return 'no LM';
  return bonus === undefined ? `LM ${weight}` : `LM ${weight}, bonus ${bonus}`;
}

/** The LM weight a run decoded with: its own setting, else what its model's record says was fused. */
function runLmWeight(run: Pick<RunSummary, 'model' | 'decoding'>): number | undefined {
  if (run.decoding.lmWeight !== undefined) return run.decoding.beam > 1 ? run.decoding.lmWeight : 0;
  const recorded = run.model.config.lmWeight;
  return typeof recorded === 'number' ? recorded : undefined;
}

/** A run's settings in a line: model, search (with the token LM), biasing. */
export function describeRunSettings(run: Pick<RunSummary, 'model' | 'decoding' | 'context'>): string {
  const d = run.decoding;
  const lm = lmLabel(runLmWeight(run), d.lmBonus);
  const search = [d.beam > 1 ? `beam ${d.beam}` : 'greedy', d.maxSymbolsPerFrame === undefined ? '' : `${d.maxSymbolsPerFrame} sym/frame`, lm].filter(Boolean).join(', ');
  const names = run.context.entries.length;
  const context = run.context.mode === 'list' ? `one list of ${names}` : names ? `utterance names + ${names}` : 'utterance names';
  const biasing = [d.shallowFusion ? `fusion${d.fusionBoost === undefined ? '' : ` ${d.fusionBoost}`}` : 'no fusion', d.attentionBias ? 'attention' : 'no attention'].join(', ');
  return `${run.model.id} · ${search} · ${context} · ${biasing}`;
}

/** What the re-run form changes, as `suggestRunName` reads it; null settings are the model's. */
export interface RunChange {
  contextMode: 'per-utterance' | 'list';
  entries: number;
  beam: number;
  shallowFusion: boolean;
  attentionBias: boolean;
  boost: number | null;
  lmWeight: number | null;
  lmBonus: number | null;
}

/** What the re-run form proposes to call the run it would make, from what it changes. */
export function suggestRunName(change: RunChange, taken: readonly string[]): string {
  const parts = [
    change.contextMode === 'list' ? `list of ${change.entries}` : change.entries ? `names + ${change.entries}` : '',
    change.beam !== 4 ? `beam ${change.beam}` : '',
    change.boost === null ? '' : `boost ${change.boost}`,
    change.shallowFusion ? '' : 'no fusion',
    change.attentionBias ? '' : 'no attention',
    change.lmWeight === null ? '' : lmLabel(change.lmWeight),
    change.lmBonus === null || change.lmWeight === 0 ? '' : `LM bonus ${change.lmBonus}`,
  ].filter(Boolean);
  const base = parts.join(', ') || 'again';
  let name = base;
  for (let n = 2; taken.includes(name); n++) name = `${base} (${n})`;
  return name;
}
