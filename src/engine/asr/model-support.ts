/**
 * Which models Earshot runs, and a refusal naming what was found for the ones it does not.
 * Earshot runs the streaming transducers sherpa-onnx runs (encoder with carried state,
 * decoder, joiner), named by the encoder's `model_type`; sherpa-onnx's other families
 * (CTC, paraformer, whisper) and non-streaming transducers are recognised and refused.
 * Pure functions over ONNX metadata: they return the refusal, the caller throws it.
 */
import { REQUIRED_ENCODER_METADATA, SUPPORTED_MODEL_TYPES, type EncoderModelType } from './encoder-state';
import type { OnnxModelInfo } from './onnx-metadata';

export const SUPPORTED =
  'Earshot runs streaming transducers exported for sherpa-onnx (encoder*.onnx, decoder*.onnx, joiner*.onnx and tokens.txt, ' +
  `or Earshot's model.json) with model_type ${SUPPORTED_MODEL_TYPES.join(', ')}`;

/** Another family of sherpa-onnx model, recognised from its metadata and outputs; null if none. */
export function foreignFamily(info: OnnxModelInfo): string | null {
  const meta = info.metadata;
  const type = (meta.model_type ?? '').toLowerCase();
  if (type.startsWith('whisper') || (meta.n_mels !== undefined && meta.n_text_layer !== undefined)) return 'a Whisper model';
  if (type.includes('paraformer') || meta.lfr_window_size !== undefined) return 'a Paraformer model';
  if (type.includes('ctc') || info.outputs.some((o) => o.name === 'log_probs')) return `a CTC model${type ? ` (model_type "${meta.model_type}")` : ''}`;
  return null;
}

export type EncoderVerdict = { ok: true; modelType: EncoderModelType } | { ok: false; refusal: string };

/** Whether the encoder is a streaming transducer encoder Earshot can run, and why not. */
export function checkEncoder(info: OnnxModelInfo, file: string): EncoderVerdict {
  const refuse = (what: string): EncoderVerdict => ({ ok: false, refusal: `${file}: ${what}. ${SUPPORTED}.` });
  const foreign = foreignFamily(info);
  if (foreign) return refuse(`this is ${foreign}, not a streaming transducer`);
  const type = info.metadata.model_type;
  if (type === undefined) {
    const keys = Object.keys(info.metadata);
    return refuse(`the encoder's metadata has no model_type (found ${keys.length ? keys.join(', ') : 'no metadata at all'})`);
  }
  if (!(SUPPORTED_MODEL_TYPES as readonly string[]).includes(type)) return refuse(`model_type "${type}" is not supported`);
  const modelType = type as EncoderModelType;
  const inputs = info.inputs.map((v) => v.name);
  if (inputs.includes('x_lens') || (info.metadata.T === undefined && info.metadata.decode_chunk_len === undefined && inputs.length <= 2)) {
    const comment = info.metadata.comment ? `, comment "${info.metadata.comment}"` : '';
    return refuse(`this is a non-streaming ${type} transducer (encoder inputs ${inputs.join(', ')}; no chunk size or state inputs${comment})`);
  }
  const missing = REQUIRED_ENCODER_METADATA[modelType].filter((k) => info.metadata[k] === undefined);
  if (missing.length > 0) return refuse(`the ${type} encoder's metadata lacks ${missing.join(', ')} (sherpa-onnx's exporters write them)`);
  return { ok: true, modelType };
}

/**
 * Why a directory without the three transducer graphs cannot run: names the family its ONNX
 * files belong to where it is recognisable, else what was found.
 */
export function missingGraphRefusal(dir: string, onnxFiles: readonly string[], missingRole: string, readInfo: (file: string) => OnnxModelInfo | null): string {
  for (const file of onnxFiles) {
    const info = readInfo(file);
    const foreign = info && foreignFamily(info);
    if (foreign) return `${dir}: ${file} is ${foreign}, not a streaming transducer. ${SUPPORTED}.`;
  }
  const found = onnxFiles.length ? `found ${onnxFiles.join(', ')}` : 'found no .onnx files';
  return `model directory ${dir}: no ${missingRole}*.onnx and no model.json (${found}). ${SUPPORTED}.`;
}
