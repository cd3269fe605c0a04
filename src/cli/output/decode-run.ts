/**
 * The `run` record every `earshot decode` line carries: what produced it (the model's content
 * hash and every setting that changes a result). A re-run resumes a file only when its record
 * is the same, so one results file never mixes models or settings.
 */
import { createHash } from 'node:crypto';
import { modelContentHash } from '@engine/models/model-hash';
import { fusedLmOf } from '@engine/asr/fused-lm';
import { tailPaddingOf } from '@engine/asr/tail-padding';
import type { DecodeOptions } from '@shared/api';
import type { EndpointKnobsPair } from '@shared/domain/workbench';
import type { ModelSpec } from '@engine/asr/model-dir';
import { defaultEndpointKnobs } from '@engine/endpoint/endpoint-config';

export interface DecodeRun {
  /** The model folder's content hash (modelContentHash), first 16 hex digits. */
  model: string;
  variant: string;
  beam: number;
  max_symbols: number;
  boost: number;
  /** How fusion matched the list (words or sherpa). */
  fusion: string;
  shallow_fusion: boolean;
  attention_bias: boolean;
  lattice_beam: number;
  /** Token-LM fusion weight and per-token bonus, only when an LM is fused (absent: none). */
  lm_weight?: number;
  lm_bonus?: number;
  /** Seconds of silence fed after each input, only when some is (absent: none). */
  tail_padding_s?: number;
  /** sha256 (16 hex) of the --context list; null without one. */
  context: string | null;
  /** sha256 (16 hex) of the end-pointer settings the `endpoints` field was decided with. */
  endpointer: string;
  /**
   * The final end-pointer's end-of-query threshold, only where the model's own (model.json
   * `eoq.default_threshold`) differs from the app's (absent: the app's, default-knobs.json).
   */
  eoq_threshold?: number;
  /** `i/n` when the run decodes one shard of the input. */
  shard: string | null;
  /**
   * Streams per encoder call, only where batching can change a result (int8 graphs, whose
   * batch shares an activation scale, with --batch above 1); absent where it cannot.
   */
  batch?: number;
}

const hex16 = (data: string): string => createHash('sha256').update(data).digest('hex').slice(0, 16);

export async function decodeRunOf(spec: ModelSpec, decoding: DecodeOptions, knobs: EndpointKnobsPair, shard: string | null, batch = 1): Promise<DecodeRun> {
  return {
    // the same content hash that every result's provenance names (its first 16 hex digits)
    model: (await modelContentHash(spec.dir)).slice(0, 16),
    variant: spec.variant,
    beam: decoding.beam,
    max_symbols: decoding.maxSymbolsPerFrame ?? spec.decoding.maxSymbolsPerFrame,
    boost: decoding.fusionBoost ?? spec.decoding.fusionBoost,
    fusion: decoding.fusion ?? spec.decoding.fusion,
    shallow_fusion: decoding.shallowFusion,
    attention_bias: decoding.attentionBias,
    lattice_beam: decoding.latticeBeam,
    ...lmFields(spec, decoding),
    ...tailPaddingField(spec, decoding),
    context: decoding.context.length > 0 ? hex16(JSON.stringify(decoding.context)) : null,
    endpointer: hex16(JSON.stringify(knobs)),
    ...eoqThresholdField(knobs),
    shard,
    ...(spec.batchSharesScale && batch > 1 ? { batch } : {}),
  };
}

function lmFields(spec: ModelSpec, decoding: DecodeOptions): Pick<DecodeRun, 'lm_weight' | 'lm_bonus'> {
  const fused = fusedLmOf(decoding, spec.decoding.lm);
  return fused ? { lm_weight: fused.weight, lm_bonus: fused.bonus } : {};
}

function eoqThresholdField(knobs: EndpointKnobsPair): Pick<DecodeRun, 'eoq_threshold'> {
  const threshold = knobs.final.eoqThreshold;
  return threshold !== null && threshold !== defaultEndpointKnobs.eoqThreshold ? { eoq_threshold: threshold } : {};
}

function tailPaddingField(spec: ModelSpec, decoding: DecodeOptions): Pick<DecodeRun, 'tail_padding_s'> {
  const seconds = tailPaddingOf(decoding, spec.decoding);
  return seconds > 0 ? { tail_padding_s: seconds } : {};
}

/** How the option that sets each field is spelled on the command line. */
const OPTION: Record<keyof DecodeRun, string> = {
  model: 'the model (--model)',
  variant: '--variant',
  beam: '--beam',
  max_symbols: '--max-symbols',
  boost: '--boost',
  fusion: '--fusion',
  shallow_fusion: '--no-shallow-fusion',
  attention_bias: '--no-attention-bias',
  lattice_beam: '--lattice-beam',
  lm_weight: '--lm-weight',
  lm_bonus: '--lm-bonus',
  tail_padding_s: '--tail-padding',
  context: '--context',
  endpointer: 'the end-pointer settings',
  eoq_threshold: "the model's end-of-query threshold (model.json eoq.default_threshold)",
  shard: '--shard',
  batch: '--batch',
};

/** What an absent optional field stands for. */
const ABSENT: Partial<Record<keyof DecodeRun, string>> = { batch: '1', lm_weight: '0', lm_bonus: '0', tail_padding_s: '0', eoq_threshold: String(defaultEndpointKnobs.eoqThreshold) };

/** What differs between two runs, in the user's words; empty when they are the same run. */
export function runDifferences(before: DecodeRun, now: DecodeRun, ignore: ReadonlyArray<keyof DecodeRun> = []): string[] {
  const shown = (run: DecodeRun, k: keyof DecodeRun): string => (run[k] === undefined && ABSENT[k] ? ABSENT[k] : String(run[k]));
  return (Object.keys(OPTION) as Array<keyof DecodeRun>)
    .filter((k) => !ignore.includes(k) && before[k] !== now[k])
    .map((k) => `${OPTION[k]}: ${shown(before, k)} there, ${shown(now, k)} now`);
}
