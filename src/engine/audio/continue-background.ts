/** A recording whose quietest window is within this of its loudest holds no background. */
const MIN_RANGE_DB = 25;
/** Where such a recording's quietest window is put instead: about where AN4's and Speech Commands' rooms are. */
const BACKGROUND_BELOW_PEAK_DB = 35;

/**
 * Continues a recording's own background past its end: its quietest `windowS` (by energy),
 * tiled with short cross-fades. Evaluation recordings stop soon after the speaker does (the
 * real clips within 0–0.5 s), while a live end-pointer keeps hearing the room; without this,
 * any rule that needs more silence than the file holds can never fire. The noise is the
 * recording's own, so level and spectrum match what came before. Clips trimmed to the word
 * (FSDD's digits) have no background: their quietest window is still speech, so it is turned
 * down to `BACKGROUND_BELOW_PEAK_DB` below the loudest window.
 */
export function continueBackground(samples: Float32Array, rate: number, padS: number, windowS = 0.1): Float32Array {
  const pad = Math.round(padS * rate);
  if (pad <= 0 || samples.length === 0) return samples;
  const window = Math.min(samples.length, Math.round(windowS * rate));
  const hop = Math.max(1, Math.round(0.01 * rate));
  // Quietest window by running energy, on a 10 ms hop.
  let best = 0;
  let bestEnergy = Infinity;
  let peakEnergy = 0;
  for (let start = 0; start + window <= samples.length; start += hop) {
    let energy = 0;
    for (let i = start; i < start + window; i++) energy += samples[i] * samples[i];
    peakEnergy = Math.max(peakEnergy, energy);
    if (energy < bestEnergy) {
      bestEnergy = energy;
      best = start;
    }
  }
  const rangeDb = 10 * Math.log10((peakEnergy + 1e-20) / (bestEnergy + 1e-20));
  const gain = rangeDb < MIN_RANGE_DB ? 10 ** (-(BACKGROUND_BELOW_PEAK_DB - rangeDb) / 20) : 1;
  const tile = samples.subarray(best, best + window).map((x) => x * gain);
  const fade = Math.min(Math.round(0.01 * rate), Math.floor(window / 4));
  const out = new Float32Array(samples.length + pad);
  out.set(samples);
  // Each tile starts `window − fade` after the last and fades in over the previous one's fade-out.
  for (let at = samples.length - fade, first = true; at < out.length; at += window - fade, first = false) {
    for (let i = 0; i < window && at + i < out.length; i++) {
      const fadeIn = !first && i < fade ? i / fade : 1;
      const fadeOut = i >= window - fade ? (window - i) / fade : 1;
      if (first && i < fade) continue;
      out[at + i] += tile[i] * fadeIn * fadeOut;
    }
  }
  return out;
}
