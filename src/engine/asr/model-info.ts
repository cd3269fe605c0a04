import { relative } from 'node:path';
import type { CompressedMatrix, ModelInfo } from '../../shared/domain/workbench';
import { resolveModelDir, type ResolveOptions } from './model-dir';

interface CompressionEntry {
  shape?: number[];
  sparsity?: number;
  int8_histogram?: number[];
}

function numbers(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  }
  return out;
}

/**
 * What the workbench shows about a model: read from Earshot's model.json where there is one,
 * else from the ONNX metadata alone (a sherpa-onnx directory has no sizes or sparsity).
 */
export function describeModel(dir: string, options: ResolveOptions = {}): ModelInfo {
  const spec = resolveModelDir(dir, options);
  const sidecar = spec.sidecar;
  const compression: CompressedMatrix[] = Object.entries((sidecar?.compression ?? {}) as Record<string, CompressionEntry>).map(([name, c]) => ({
    name,
    shape: c.shape ?? [],
    sparsity: c.sparsity ?? 0,
    int8Histogram: c.int8_histogram ?? [],
  }));
  const features: ModelInfo['features'] = {};
  for (const [k, v] of Object.entries(sidecar?.features ?? spec.features)) {
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') features[k] = v;
  }
  return {
    dir: spec.dir,
    name: spec.name,
    format: spec.format === 'earshot' ? 'earshot-rnnt' : 'sherpa-onnx',
    modelType: spec.modelType,
    variant: spec.variant,
    variants: sidecar ? Object.keys(sidecar.variants) : [spec.variant],
    vocabSize: spec.vocabSize,
    tokens: [...spec.tokens.symbols],
    features,
    chunk: { T: spec.T, decodeChunkLen: spec.decodeChunkLen, subsampling: sidecar?.chunk?.subsampling ?? 4, frameShiftS: spec.frameShiftS },
    hasAttentionBias: spec.files.contextEncoder !== undefined && spec.files.bias !== undefined,
    hasEndOfQuery: spec.eoqOutput !== undefined,
    eoqThreshold: spec.eoqThreshold ?? null,
    decoding: { ...spec.decoding, ...(spec.decoding.lm ? { lm: { ...spec.decoding.lm, file: relative(spec.dir, spec.decoding.lm.file) } } : {}) },
    sizes: numbers(sidecar?.sizes),
    sparsityOverall: typeof sidecar?.sparsity_overall === 'number' ? sidecar.sparsity_overall : null,
    compression,
    metrics: numbers(sidecar?.metrics),
  };
}
