/**
 * How often the WebAssembly joiner changes a decode: the 1-best texts of the model with it and
 * with onnxruntime's joiner (`wasmJoiner: false`) on the same audio. With int8 graphs the kernel's
 * tanh can differ from onnxruntime's in the last bit (onnxruntime fuses its multiply-adds), which
 * moves the activations' quantisation now and then; fp32 logits differ by float rounding.
 */
import { decodeSamples } from '../../src/engine/asr/decode-utterance';
import type { DecodeOptions } from '../../src/engine/asr/stream-decoder';
import type { TransducerModel } from '../../src/engine/asr/transducer-model';

/** Utterances whose 1-best text differs between the two models. */
export function textDiffs(wasm: TransducerModel, ort: TransducerModel, audio: readonly Float32Array[], options: DecodeOptions): number {
  return audio.filter((s) => decodeSamples(wasm, s, options).hyp !== decodeSamples(ort, s, options).hyp).length;
}
