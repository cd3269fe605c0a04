import type { WavHeader } from './wav-header';

/** Planar samples in [-1, 1], one array per channel, plus how many bad floats were zeroed. */
export interface PlanarBlock {
  channels: Float32Array[];
  nonFinite: number;
}

type Layout = Pick<WavHeader, 'sampleFormat' | 'bitsPerSample' | 'channels'>;

/**
 * Converts interleaved little-endian WAV samples to planar floats, scaled the way soundfile and
 * torchaudio scale them (int16 / 32768 etc.). Float samples that are NaN or ±Inf become 0 and
 * finite ones are clamped to [-1, 1], so nothing downstream (resampler, fbank, peaks) ever sees a
 * non-finite value. `bytes` must hold whole frames. Typed-array views assume a little-endian
 * host, which every platform Electron ships on is.
 */
export function deinterleave(bytes: Uint8Array, layout: Layout): PlanarBlock {
  const width = layout.bitsPerSample / 8;
  const numChannels = layout.channels;
  const frames = Math.floor(bytes.length / (width * numChannels));
  const channels = Array.from({ length: numChannels }, () => new Float32Array(frames));
  const aligned = bytes.byteOffset % width === 0 ? bytes : bytes.slice();
  const count = frames * numChannels;
  let nonFinite = 0;

  const spread = (src: ArrayLike<number>, scale: number, offset = 0): void => {
    for (let c = 0; c < numChannels; c++) {
      const out = channels[c];
      for (let f = 0, i = c; f < frames; f++, i += numChannels) out[f] = (src[i] - offset) * scale;
    }
  };

  if (layout.sampleFormat === 'float') {
    const src =
      width === 4
        ? new Float32Array(aligned.buffer, aligned.byteOffset, count)
        : new Float64Array(aligned.buffer, aligned.byteOffset, count);
    for (let c = 0; c < numChannels; c++) {
      const out = channels[c];
      for (let f = 0, i = c; f < frames; f++, i += numChannels) {
        const v = src[i];
        if (v !== v || v === Infinity || v === -Infinity) {
          nonFinite++;
          out[f] = 0;
        } else out[f] = v > 1 ? 1 : v < -1 ? -1 : v;
      }
    }
  } else if (width === 1) {
    spread(aligned, 1 / 128, 128);
  } else if (width === 2) {
    spread(new Int16Array(aligned.buffer, aligned.byteOffset, count), 1 / 32768);
  } else if (width === 4) {
    spread(new Int32Array(aligned.buffer, aligned.byteOffset, count), 1 / 2147483648);
  } else {
    for (let c = 0; c < numChannels; c++) {
      const out = channels[c];
      for (let f = 0, at = c * 3; f < frames; f++, at += 3 * numChannels) {
        // Shift the 24-bit value into the top of an int32 so that the sign comes for free.
        const v = (aligned[at] << 8) | (aligned[at + 1] << 16) | (aligned[at + 2] << 24);
        out[f] = v / 2147483648;
      }
    }
  }
  return { channels, nonFinite };
}

/** Makes decoder output obey the same contract as WAV samples; returns how many were non-finite. */
export function clampToUnit(samples: Float32Array): number {
  let nonFinite = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i];
    if (v !== v || v === Infinity || v === -Infinity) {
      samples[i] = 0;
      nonFinite++;
    } else if (v > 1) samples[i] = 1;
    else if (v < -1) samples[i] = -1;
  }
  return nonFinite;
}
