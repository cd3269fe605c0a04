import { lmBonusSchema, lmWeightSchema, tailPaddingSchema, type DecodeOptions } from '../../shared/api';
import type { ModelRef, RunContext, RunDecoding, SessionRun, Utterance } from '../../shared/domain/session';

/** A run's search settings from a request's decode options (the context list is the run's `context`). */
export function runDecodingOf(options: DecodeOptions): RunDecoding {
  return {
    beam: options.beam,
    ...(options.maxSymbolsPerFrame === undefined ? {} : { maxSymbolsPerFrame: options.maxSymbolsPerFrame }),
    ...(options.fusionBoost === undefined ? {} : { fusionBoost: options.fusionBoost }),
    shallowFusion: options.shallowFusion,
    attentionBias: options.attentionBias,
    ...(options.lmWeight === undefined ? {} : { lmWeight: options.lmWeight }),
    ...(options.lmBonus === undefined ? {} : { lmBonus: options.lmBonus }),
    ...(options.tailPaddingS === undefined ? {} : { tailPaddingS: options.tailPaddingS }),
    variant: options.variant,
  };
}

/** The search settings a model record keeps in its `config` (what a decode's provenance says), else the defaults. */
export function runDecodingOfConfig(config: Record<string, unknown>): RunDecoding {
  const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const beam = config.beam;
  return {
    beam: Number.isInteger(beam) && (beam as number) >= 1 && (beam as number) <= 16 ? (beam as number) : 4,
    ...(isNumber(config.maxSymbolsPerFrame) ? { maxSymbolsPerFrame: config.maxSymbolsPerFrame } : {}),
    ...(isNumber(config.fusionBoost) ? { fusionBoost: config.fusionBoost } : {}),
    shallowFusion: typeof config.shallowFusion === 'boolean' ? config.shallowFusion : true,
    attentionBias: typeof config.attentionBias === 'boolean' ? config.attentionBias : true,
    ...(lmWeightSchema.safeParse(config.lmWeight).success ? { lmWeight: config.lmWeight as number } : {}),
    ...(lmBonusSchema.safeParse(config.lmBonus).success ? { lmBonus: config.lmBonus as number } : {}),
    ...(tailPaddingSchema.safeParse(config.tailPaddingS).success ? { tailPaddingS: config.tailPaddingS as number } : {}),
    variant: config.variant === 'fp32' ? 'fp32' : 'int8',
  };
}

/** The utterance as a run decodes it: with a `list` context, the data set's own names are left out. */
export function utteranceForRun(utterance: Utterance, context: RunContext): Utterance {
  return context.mode === 'list' ? { ...utterance, context: undefined } : utterance;
}

type RunSettings = Pick<SessionRun, 'model' | 'decoding' | 'context' | 'endpoints'>;

const modelKey = (model: ModelRef): string => model.sha256 ?? model.dir ?? model.id;

/** Two runs with the same model (by content), search, context and end-pointers give the same results. */
export function sameRunSettings(a: RunSettings, b: RunSettings): boolean {
  const key = (r: RunSettings): string => JSON.stringify([modelKey(r.model), r.decoding, r.context, r.endpoints]);
  return key(a) === key(b);
}

/** "run N" with the first N no run of the session is called yet. */
export function nextRunName(names: readonly string[]): string {
  const taken = new Set(names);
  let n = names.length + 1;
  while (taken.has(`run ${n}`)) n++;
  return `run ${n}`;
}
