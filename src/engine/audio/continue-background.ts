/**
 * Continues a recording's own background past its end: its quietest `windowS` (by energy),
 * tiled with short cross-fades. Evaluation recordings stop soon after the speaker does (the
 * real clips within 0–0.5 s), while a live end-pointer keeps hearing the room; without this,
 * any rule that needs more silence than the file holds can never fire. The noise is the
 * recording's own, so level and spectrum match what came before.
 */
export function continueBackground(samples: Float32Array, rate: number, padS: number, windowS = 0.25): Float32Array {
  const pad = Math.round(padS * rate);
  if (pad <= 0 || samples.length === 0) return samples;
  const window = Math.min(samples.length, Math.round(windowS * rate));
  const hop = Math.max(1, Math.round(0.01 * rate));
  // Quietest window by running energy, on a 10 ms hop.
  let best = 0;
  let bestEnergy = Infinity;
  for (let start = 0; start + window <= samples.length; start += hop) {
    let energy = 0;
    for (let i = start; i < start + window; i++) energy += samples[i] * samples[i];
    if (energy < bestEnergy) {
      bestEnergy = energy;
      best = start;
    }
  }
  const tile = samples.subarray(best, best + window);
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
