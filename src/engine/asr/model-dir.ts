/**
 * Finds and validates a transducer model directory before any session is created, so a
 * broken directory fails with one clear message (and never reaches sherpa-onnx, which
 * exits the process on bad metadata). Two layouts load:
 * - Earshot: `model.json` names the graphs per variant (fp32, int8) plus `tokens.txt`;
 * - sherpa-onnx: `encoder*.onnx`, `decoder*.onnx`, `joiner*.onnx`, `tokens.txt`, with
 *   everything else read from the ONNX metadata.
 */
import { checkEncoder, missingGraphRefusal } from './model-support';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fusionBoostSchema, fusionStyleSchema, lmBonusSchema, lmWeightSchema, maxSymbolsPerFrameSchema, SHERPA_DECODING, tailPaddingSchema, type FusionStyle } from '../../shared/api';
import type { FbankOptions } from '../features/fbank-options';
import { encoderStateLayout, type EncoderLayout, type EncoderModelType, type StateTensorSpec } from './encoder-state';
import { metadataInt, OnnxElemType, readOnnxModelInfo, type OnnxModelInfo, type OnnxValueInfo } from './onnx-metadata';
import { TokenTable } from './tokens';
import { checkModelJsonTokens, parseModelJson } from './model-json-schema';

export class ModelDirError extends Error {
  readonly code = 'bad-model';
}

/** The parts of Earshot's `model.json` the runtime reads. */
export interface EarshotModelJson {
  format: 'earshot-rnnt';
  version?: number | string;
  name?: string;
  features?: Partial<FbankOptions> & Record<string, unknown>;
  chunk?: { T?: number; decode_chunk_len?: number; subsampling?: number; frame_shift_ms?: number };
  context_size?: number;
  blank_id?: number;
  vocab_size?: number;
  default_variant?: string;
  variants: Record<string, Partial<Record<'encoder' | 'decoder' | 'joiner' | 'context_encoder' | 'bias', string>>>;
  encoder?: { layers?: number; hidden?: number; joiner_dim?: number };
  eoq?: { output?: string; default_threshold?: number };
  /** How the model was measured to decode best (written by training/report.py). */
  decode?: { max_symbols_per_frame?: number; fusion_boost?: number; fusion?: string; tail_padding_s?: number; lm?: { file?: string; weight?: number; token_bonus?: number } };
  [key: string]: unknown;
}

export interface ModelFiles {
  encoder: string;
  decoder: string;
  joiner: string;
  tokens: string;
  contextEncoder?: string;
  bias?: string;
}

export interface ModelSpec {
  dir: string;
  format: 'earshot' | 'sherpa-onnx';
  /** Which graphs were picked: 'fp32', 'int8', or the Earshot variant's name. */
  variant: string;
  name: string;
  files: ModelFiles;
  modelType: EncoderModelType;
  /** fbank frames fed per encoder call, and the advance between calls (T − decodeChunkLen is lookahead). */
  T: number;
  decodeChunkLen: number;
  featureDim: number;
  states: StateTensorSpec[];
  /** Encoder input fed the count of fbank frames processed before the chunk (conformer). */
  processedFramesInput?: string;
  /** Name of the end-of-query output, when the encoder has one. */
  eoqOutput?: string;
  /**
   * The threshold the final end-pointer's end-of-query rule uses for this model when a decode names no
   * end-pointer: model.json `eoq.default_threshold`, calibrated on the model's dev set
   * (training/calibrate_eoq.py). A head's probabilities mean different things in different models.
   */
  eoqThreshold?: number;
  /**
   * The encoder quantises its activations with a scale computed per call (dynamic int8
   * quantisation): streams batched into one call share that scale, so a batched decode can
   * differ from one at a time. Float graphs give every stream the same result either way.
   */
  batchSharesScale: boolean;
  contextSize: number;
  vocabSize: number;
  joinerDim: number;
  blankId: number;
  /** Seconds per encoder frame (10 ms × subsampling). */
  frameShiftS: number;
  features: Partial<FbankOptions>;
  tokens: TokenTable;
  /** Search settings the model was measured with; a decode that does not choose its own uses them. */
  decoding: ModelDecoding;
  sidecar?: EarshotModelJson;
}

export interface ModelDecoding {
  /** Tokens per encoder frame (1 for sherpa-onnx models, as sherpa-onnx decodes). */
  maxSymbolsPerFrame: number;
  /** Shallow-fusion bonus per matched token (sherpa-onnx's 1.5 unless the model says otherwise). */
  fusionBoost: number;
  /** How fusion matches the list (api.ts `fusionStyleSchema`). */
  fusion: FusionStyle;
  /** Silence fed after the input's end (s): model.json `decode.tail_padding_s`, else 0 (sherpa-onnx's recognizer gets the audio alone). */
  tailPaddingS: number;
  /** The token LM that beam search fuses by default (model.json `decode.lm`): its ARPA file and weights. */
  lm?: { file: string; weight: number; tokenBonus: number };
}

export interface ResolveOptions {
  /** 'fp32' or 'int8' (or another Earshot variant); default: model.json's default_variant, else fp32. */
  variant?: string;
}

export function resolveModelDir(dir: string, options: ResolveOptions = {}): ModelSpec {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ModelDirError(`model directory ${dir} does not exist`);
  const sidecarPath = join(dir, 'model.json');
  const sidecar = existsSync(sidecarPath) ? readSidecar(sidecarPath) : undefined;
  const { files, variant } = sidecar ? earshotFiles(dir, sidecar, options.variant) : sherpaFiles(dir, options.variant);
  for (const [role, path] of Object.entries(files)) {
    if (path !== undefined && !existsSync(path)) throw new ModelDirError(`model directory ${dir}: ${role} file ${path} is missing`);
  }
  try {
    const tokens = TokenTable.parse(readFileSync(files.tokens, 'utf8'), files.tokens);
    if (sidecar) checkModelJsonTokens(sidecar, tokens.size, sidecarPath);
    // The ONNX reader's errors name the graph; they are this folder's problem like any other.
    return validate(dir, files, variant, tokens, sidecar);
  } catch (err) {
    throw err instanceof ModelDirError ? err : new ModelDirError((err as Error).message);
  }
}

/**
 * The model's own end-of-query threshold (`ModelSpec.eoqThreshold`) from its model.json alone, for the host,
 * which picks a decode's end-pointers before a worker loads the graphs. Undefined for a folder without
 * model.json, and for one whose model.json does not read: the decode that follows names that problem.
 */
export function modelEoqThreshold(dir: string): number | undefined {
  const path = join(dir, 'model.json');
  if (!existsSync(path)) return undefined;
  try {
    return readSidecar(path).eoq?.default_threshold;
  } catch {
    return undefined;
  }
}

function readSidecar(path: string): EarshotModelJson {
  try {
    return parseModelJson(readFileSync(path, 'utf8'), path) as EarshotModelJson;
  } catch (err) {
    throw new ModelDirError((err as Error).message);
  }
}

function earshotFiles(dir: string, sidecar: EarshotModelJson, wanted?: string): { files: ModelFiles; variant: string } {
  const variant = wanted ?? sidecar.default_variant ?? Object.keys(sidecar.variants)[0];
  const v = sidecar.variants[variant];
  if (!v) throw new ModelDirError(`${dir}/model.json has no variant "${variant}" (it has ${Object.keys(sidecar.variants).join(', ')})`);
  for (const role of ['encoder', 'decoder', 'joiner'] as const) {
    if (!v[role]) throw new ModelDirError(`${dir}/model.json: variant "${variant}" names no ${role} graph`);
  }
  const at = (f: string | undefined): string | undefined => (f ? join(dir, f) : undefined);
  return {
    variant,
    files: {
      encoder: join(dir, v.encoder as string),
      decoder: join(dir, v.decoder as string),
      joiner: join(dir, v.joiner as string),
      tokens: join(dir, 'tokens.txt'),
      contextEncoder: at(v.context_encoder),
      bias: at(v.bias),
    },
  };
}

/** sherpa-onnx names graphs like `encoder-epoch-99-avg-1.int8.onnx`: pick the wanted precision. */
function sherpaFiles(dir: string, wanted?: string): { files: ModelFiles; variant: string } {
  const onnx = readdirSync(dir).filter((f) => f.endsWith('.onnx')).sort();
  const variant = wanted ?? 'fp32';
  const pick = (role: string): string => {
    const candidates = onnx.filter((f) => f.startsWith(role));
    if (candidates.length === 0) throw new ModelDirError(missingGraphRefusal(dir, onnx, role, (f) => readInfoIfSmall(join(dir, f))));
    const int8 = candidates.filter((f) => f.includes('int8'));
    const plain = candidates.filter((f) => !f.includes('int8'));
    const preferred = variant === 'int8' ? (int8[0] ?? plain[0]) : (plain[0] ?? int8[0]);
    return join(dir, preferred);
  };
  return { variant, files: { encoder: pick('encoder'), decoder: pick('decoder'), joiner: pick('joiner'), tokens: join(dir, 'tokens.txt') } };
}

/** Metadata for naming what a directory holds; large files (a Whisper decoder) are not read whole for that. */
function readInfoIfSmall(path: string): OnnxModelInfo | null {
  try {
    return statSync(path).size <= 256 * 1024 * 1024 ? readOnnxModelInfo(path) : null;
  } catch {
    return null;
  }
}

function validate(dir: string, files: ModelFiles, variant: string, tokens: TokenTable, sidecar?: EarshotModelJson): ModelSpec {
  const enc = readOnnxModelInfo(files.encoder);
  const dec = readOnnxModelInfo(files.decoder);
  const join_ = readOnnxModelInfo(files.joiner);
  const encName = files.encoder;

  const verdict = checkEncoder(enc, encName);
  if (!verdict.ok) throw new ModelDirError(verdict.refusal);
  const modelType = verdict.modelType;
  const T = metadataInt(enc, 'T', encName);
  const decodeChunkLen = metadataInt(enc, 'decode_chunk_len', encName);
  expectNames(enc.inputs.slice(0, 1), ['x'], encName, 'input');
  expectNames(enc.outputs.slice(0, 1), ['encoder_out'], encName, 'output');
  const x = enc.inputs[0];
  expectRank(x, 3, encName);
  if (typeof x.shape[1] === 'number' && x.shape[1] > 0 && x.shape[1] !== T) {
    throw new ModelDirError(`${encName}: input x has ${x.shape[1]} frames but metadata T is ${T}`);
  }
  const featureDim = typeof x.shape[2] === 'number' && x.shape[2] > 0 ? x.shape[2] : 80;
  let layout: EncoderLayout;
  try {
    layout = encoderStateLayout(modelType, enc, encName);
  } catch (err) {
    throw new ModelDirError((err as Error).message);
  }
  const { states, processedFramesInput } = layout;
  const eoqName = sidecar?.eoq?.output ?? 'eoq_logit';
  const eoqOutput = enc.outputs.slice(1 + states.length).find((o) => o.name === eoqName)?.name;

  expectNames(dec.inputs, ['y'], files.decoder, 'input');
  expectNames(dec.outputs.slice(0, 1), ['decoder_out'], files.decoder, 'output');
  if (dec.inputs[0].elemType !== OnnxElemType.int64) throw new ModelDirError(`${files.decoder}: input y must be int64`);
  const contextSize = metadataInt(dec, 'context_size', files.decoder);
  const vocabSize = metadataInt(dec, 'vocab_size', files.decoder);
  const yLen = dec.inputs[0].shape[1];
  if (typeof yLen === 'number' && yLen > 0 && yLen !== contextSize) {
    throw new ModelDirError(`${files.decoder}: input y is (N, ${yLen}) but context_size is ${contextSize}`);
  }

  expectNames(join_.inputs, ['encoder_out', 'decoder_out'], files.joiner, 'input');
  expectNames(join_.outputs.slice(0, 1), ['logit'], files.joiner, 'output');
  const logitDim = join_.outputs[0].shape[1];
  const joinerVocab = typeof logitDim === 'number' && logitDim > 0 ? logitDim : vocabSize;
  if (joinerVocab !== vocabSize) throw new ModelDirError(`${files.joiner}: logit has ${joinerVocab} classes but the decoder's vocab_size is ${vocabSize}`);
  if (tokens.size !== joinerVocab) {
    throw new ModelDirError(`${files.tokens} has ${tokens.size} tokens but the joiner outputs ${joinerVocab} classes`);
  }
  const joinerDim = joinerDimOf(join_, enc, files.joiner);

  if (files.contextEncoder) {
    const ce = readOnnxModelInfo(files.contextEncoder);
    expectNames(ce.inputs, ['context_tokens', 'context_lengths'], files.contextEncoder, 'input');
    expectNames(ce.outputs.slice(0, 1), ['context_emb'], files.contextEncoder, 'output');
  }
  if (files.bias) {
    const b = readOnnxModelInfo(files.bias);
    expectNames(b.inputs, ['encoder_out', 'context_emb'], files.bias, 'input');
    expectNames(b.outputs.slice(0, 2), ['encoder_out_biased', 'attention'], files.bias, 'output');
  }

  const subsampling = sidecar?.chunk?.subsampling ?? 4;
  const fbankShiftMs = Number(sidecar?.features?.frame_shift_ms ?? 10);
  return {
    dir,
    format: sidecar ? 'earshot' : 'sherpa-onnx',
    variant,
    name: sidecar?.name ?? dir.split(/[\\/]/).filter(Boolean).at(-1) ?? dir,
    files,
    modelType,
    T,
    decodeChunkLen,
    featureDim,
    states,
    processedFramesInput,
    eoqOutput,
    ...(sidecar?.eoq?.default_threshold !== undefined ? { eoqThreshold: sidecar.eoq.default_threshold } : {}),
    batchSharesScale: enc.opTypes.some((op) => DYNAMIC_QUANTIZATION.has(op)),
    contextSize,
    vocabSize,
    joinerDim,
    blankId: sidecar?.blank_id ?? 0,
    frameShiftS: sidecar?.chunk?.frame_shift_ms ? sidecar.chunk.frame_shift_ms / 1000 : (fbankShiftMs * subsampling) / 1000,
    features: fbankOptionsFrom(sidecar),
    tokens,
    decoding: decodingFrom(dir, sidecar),
    sidecar,
  };
}

/** model.json's `decode`, where the contract would accept it; sherpa-onnx's settings otherwise. */
function decodingFrom(dir: string, sidecar: EarshotModelJson | undefined): ModelDecoding {
  const symbols = maxSymbolsPerFrameSchema.safeParse(sidecar?.decode?.max_symbols_per_frame);
  const boost = fusionBoostSchema.safeParse(sidecar?.decode?.fusion_boost);
  const fusion = fusionStyleSchema.safeParse(sidecar?.decode?.fusion);
  const tailPadding = tailPaddingSchema.safeParse(sidecar?.decode?.tail_padding_s);
  return {
    maxSymbolsPerFrame: symbols.success ? symbols.data : SHERPA_DECODING.maxSymbolsPerFrame,
    fusionBoost: boost.success ? boost.data : SHERPA_DECODING.fusionBoost,
    // Earshot's character models spell words with a boundary token between them: whole-word
    // matching measured better on their dev split (training/report.py); sherpa-onnx folders decode as sherpa-onnx does.
    fusion: fusion.success ? fusion.data : sidecar ? 'words' : SHERPA_DECODING.fusion,
    tailPaddingS: tailPadding.success ? tailPadding.data : 0,
    ...tokenLmFrom(dir, sidecar?.decode?.lm),
  };
}

/** `decode.lm`: a file in the folder that must exist once named; the weights where the contract accepts them. */
function tokenLmFrom(dir: string, lm: NonNullable<EarshotModelJson['decode']>['lm']): Pick<ModelDecoding, 'lm'> {
  if (!lm?.file) return {};
  const file = join(dir, lm.file);
  if (!existsSync(file)) throw new ModelDirError(`model directory ${dir}: the token LM ${lm.file} that model.json's decode.lm names is missing`);
  const weight = lmWeightSchema.safeParse(lm.weight);
  const bonus = lmBonusSchema.safeParse(lm.token_bonus);
  return { lm: { file, weight: weight.success ? weight.data : 0, tokenBonus: bonus.success ? bonus.data : 0 } };
}

/** joiner_dim metadata, else the joiner's declared input width, else the encoder's output width. */
function joinerDimOf(joiner: OnnxModelInfo, encoder: OnnxModelInfo, file: string): number {
  if (joiner.metadata.joiner_dim !== undefined) return metadataInt(joiner, 'joiner_dim', file);
  const declared = [joiner.inputs[0]?.shape[1], encoder.outputs[0]?.shape[2]].find((d) => typeof d === 'number' && d > 0);
  if (typeof declared !== 'number') throw new ModelDirError(`${file}: cannot tell joiner_dim (no metadata, no fixed input width)`);
  return declared;
}

function expectNames(values: OnnxValueInfo[], names: string[], file: string, kind: string): void {
  const got = values.slice(0, names.length).map((v) => v.name);
  if (got.length < names.length || got.some((n, i) => n !== names[i])) {
    throw new ModelDirError(`${file}: ${kind}s should start with [${names.join(', ')}], found [${values.map((v) => v.name).join(', ')}]`);
  }
}

function expectRank(v: OnnxValueInfo, rank: number, file: string): void {
  if (v.shape.length !== 0 && v.shape.length !== rank) throw new ModelDirError(`${file}: ${v.name} should have rank ${rank}, it is [${v.shape.join(', ')}]`);
}

/** model.json spells fbank options the trainer's way; the feature code wants FbankOptions. */
/** onnxruntime's operators that quantise activations with a scale found in each call's data. */
const DYNAMIC_QUANTIZATION = new Set(['DynamicQuantizeLinear', 'DynamicQuantizeMatMul', 'DynamicQuantizeLSTM']);

const SIDECAR_FBANK_KEYS: Record<string, keyof FbankOptions> = {
  sample_rate: 'sampleFrequency',
  num_mel_bins: 'numMelBins',
  frame_length_ms: 'frameLength',
  frame_shift_ms: 'frameShift',
  window: 'windowType',
  window_type: 'windowType',
  preemphasis: 'preemphasisCoefficient',
  preemphasis_coefficient: 'preemphasisCoefficient',
  remove_dc_offset: 'removeDcOffset',
  dither: 'dither',
  low_freq: 'lowFreq',
  high_freq: 'highFreq',
  snip_edges: 'snipEdges',
  energy_floor: 'energyFloor',
  use_energy: 'useEnergy',
};

function fbankOptionsFrom(sidecar?: EarshotModelJson): Partial<FbankOptions> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sidecar?.features ?? {})) {
    const key = SIDECAR_FBANK_KEYS[k];
    if (key) out[key] = v;
  }
  return out as Partial<FbankOptions>;
}
