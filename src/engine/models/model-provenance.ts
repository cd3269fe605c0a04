import type { DecodeOptions } from '../../shared/api';
import type { DecodeSettings, ModelProvenance } from '../../shared/domain/models';
import type { ModelRef } from '../../shared/domain/session';
import type { ModelDecoding, ModelSpec } from '../asr/model-dir';
import { fusedLmOf } from '../asr/fused-lm';
import { tailPaddingOf } from '../asr/tail-padding';
import { modelContentHash } from './model-hash';

/** The settings a decode ran with: the request's, with the model's own where the request left them unset. */
export function decodeSettingsOf(options: DecodeOptions, spec: Pick<ModelSpec, 'decoding' | 'variant'>): DecodeSettings {
  return {
    beam: options.beam,
    maxSymbolsPerFrame: options.maxSymbolsPerFrame ?? spec.decoding.maxSymbolsPerFrame,
    fusionBoost: options.fusionBoost ?? spec.decoding.fusionBoost,
    fusion: options.fusion ?? spec.decoding.fusion,
    shallowFusion: options.shallowFusion,
    attentionBias: options.attentionBias,
    latticeBeam: options.latticeBeam,
    ...lmSettingsOf(options, spec.decoding.lm),
    tailPaddingS: tailPaddingOf(options, spec.decoding),
    variant: spec.variant,
    contextEntries: options.context.length,
  };
}

/** What a decode's record says of the LM: its weights when fused, a weight of 0 when it could have been and was not, nothing for a model without one. */
function lmSettingsOf(options: DecodeOptions, lm: ModelDecoding['lm']): Pick<DecodeSettings, 'lmWeight' | 'lmBonus'> {
  if (!lm && options.lmWeight === undefined) return {};
  const fused = fusedLmOf(options, lm);
  return fused ? { lmWeight: fused.weight, lmBonus: fused.bonus } : { lmWeight: 0 };
}

/** Which model (folder, name, content hash) and which settings made a result. */
export async function provenanceOf(spec: Pick<ModelSpec, 'dir' | 'name' | 'decoding' | 'variant'>, options: DecodeOptions): Promise<ModelProvenance> {
  return { name: spec.name, dir: spec.dir, sha256: await modelContentHash(spec.dir), decoding: decodeSettingsOf(options, spec) };
}

/** How a session file records the model its results came from. */
export function modelRefOf(provenance: ModelProvenance): ModelRef {
  return { id: provenance.name, dir: provenance.dir, sha256: provenance.sha256, config: { ...provenance.decoding } };
}

/** The provenance a session's model record gives its results back when reopened (none for older files). */
export function provenanceOfRef(ref: ModelRef): ModelProvenance | undefined {
  if (!ref.dir || !ref.sha256) return undefined;
  return { name: ref.id, dir: ref.dir, sha256: ref.sha256, decoding: ref.config as unknown as DecodeSettings };
}
