import type { ContextEntry, DecodeOptions } from '@shared/api';
import type { ModelInfo } from '@shared/domain/workbench';

/** The search settings of the context editor and of a re-run; null leaves the model's own. */
export interface SearchSettings {
  shallowFusion: boolean;
  attentionBias: boolean;
  fusionBoost: number | null;
  maxSymbolsPerFrame: number | null;
  latticeBeam: number | null;
  /** Token-LM fusion weight: 0 decodes without the LM. */
  lmWeight: number | null;
  lmBonus: number | null;
  /** Seconds of silence after the audio's end. */
  tailPaddingS: number | null;
}

/** The settings a request leaves to the model while they are null. */
const MODEL_OWN = ['fusionBoost', 'maxSymbolsPerFrame', 'latticeBeam', 'lmWeight', 'lmBonus', 'tailPaddingS'] as const;

/** The decode options a request sends: the list, the toggles, and only the settings that were set. */
export function decodeOptionsOf(settings: SearchSettings, context: ContextEntry[]): Partial<DecodeOptions> {
  const set = Object.fromEntries(MODEL_OWN.filter((key) => settings[key] !== null).map((key) => [key, settings[key]]));
  return { context, shallowFusion: settings.shallowFusion, attentionBias: settings.attentionBias, ...set };
}

/** Every setting is the model's own, as a data set's analysis on opening was made. */
export function leavesModelSettings(settings: SearchSettings): boolean {
  return settings.shallowFusion && settings.attentionBias && MODEL_OWN.every((key) => settings[key] === null);
}

/** The token LM a beam-search decode with these settings fuses: its weights, or null when none is fused. */
export function lmInEffect(settings: Pick<SearchSettings, 'lmWeight' | 'lmBonus'>, model: ModelInfo['decoding'] | undefined): { weight: number; bonus: number } | null {
  const weight = settings.lmWeight ?? model?.lm?.weight ?? 0;
  return weight === 0 ? null : { weight, bonus: settings.lmBonus ?? model?.lm?.tokenBonus ?? 0 };
}
