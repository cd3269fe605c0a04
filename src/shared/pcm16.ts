/**
 * 16-bit PCM, the format live audio travels in and recordings are saved in. One definition for
 * the renderer (which sends it) and the engine (which decodes and saves it), on the scale the
 * WAV reader undoes (÷ 32768), so a saved recording reads back as exactly what was decoded.
 */

/** Floats in [-1, 1] → 16-bit samples, clipped. */
export function toPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32768)));
  return out;
}

/** 16-bit samples → the floats a reader of the WAV gets back. */
export function fromPcm16(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i] / 32768;
  return out;
}
