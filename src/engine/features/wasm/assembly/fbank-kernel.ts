// AssemblyScript, compiled to ../fbank-kernel-binary.ts by scripts/build-wasm.ts
// (`npm run build:wasm`). Kaldi fbank frames: DC removal, pre-emphasis and window, a
// real FFT, the power spectrum, the mel filters and the log. float64 throughout as the
// TypeScript it replaced (the log in float32, the output's precision), with wasm SIMD: a
// complex number is one f64x2 vector [re, im].
//
// An instance serves one set of fbank options. configure() lays out its memory once; the host then
// fills the window and mel tables and, per run of frames, the samples they span, and calls
// computeFrames().

/** How many frames one computeFrames() call takes at most. */
export const MAX_FRAMES: i32 = 32;
/** Where the host writes the samples of a run of frames (f32 × ((MAX_FRAMES − 1) shift + windowSize)). */
export let samplesAt: usize = 0;
/** Dither added to the samples of a single frame when the dither flag is set (f64 × windowSize). */
export let ditherAt: usize = 0;
/** The analysis window (f64 × windowSize), written by the host. */
export let windowAt: usize = 0;
/** Mel filter of FFT bin k < endBin: the lower filter's index (i32 × endBin)… */
export let lowerFilterAt: usize = 0;
/** …and the weights of it and of the next filter, interleaved (f64 × 2 × endBin). */
export let binWeightsAt: usize = 0;
/** The frames' features (f32 × MAX_FRAMES × frameDim). */
export let outAt: usize = 0;

export const REMOVE_DC_OFFSET: i32 = 1;
export const USE_ENERGY: i32 = 2;
export const RAW_ENERGY: i32 = 4;
export const USE_POWER: i32 = 8;
export const USE_LOG_FBANK: i32 = 16;
export const DITHER: i32 = 32;

/** torch.finfo(torch.float32).eps: torchaudio floors energies here before the log. */
const FLOAT32_EPSILON: f64 = 1.1920928955078125e-7;

let windowSize: i32 = 0;
let windowShift: i32 = 0;
let frameDim: i32 = 0;
let half: i32 = 0;
let numMelBins: i32 = 0;
let firstBin: i32 = 0;
let endBin: i32 = 0;
let preemphasis: f64 = 0;
let flags: i32 = 0;
let energyFloor: f64 = 0;

let frameAt: usize = 0;
let paddedAt: usize = 0;
/** The complex FFT's data, half vectors. */
let dataAt: usize = 0;
/** Byte offsets into the packed signal in bit-reversed order (u32 × half). */
let reversedAt: usize = 0;
/** Per radix-2² pass and j: [ar, ar], [−ai, ai], [br, br], [−bi, bi]. */
let passTwiddlesAt: usize = 0;
/** Per j of a closing radix-2 stage: [wr, wr], [−wi, wi]. */
let lastTwiddlesAt: usize = 0;
/** Per k: [wr, wr], [−wi, wi] of W = e^(−2πik/N), splitting the half-size transform. */
let splitTwiddlesAt: usize = 0;
let spectrumAt: usize = 0;
let melAt: usize = 0;

let top: usize = __heap_base;

/** Bump allocation, 16-byte aligned; memory only grows here, in configure(). */
function reserve(bytes: i32): usize {
  const at = (top + 15) & ~(<usize>15);
  top = at + <usize>bytes;
  const pages = <i32>((top + 0xffff) >>> 16);
  if (pages > memory.size()) memory.grow(pages - memory.size());
  memory.fill(at, 0, <usize>bytes);
  return at;
}

@inline function complexTimes(x: v128, w: v128, ws: v128): v128 {
  // [xr wr − xi wi, xi wr + xr wi] with ws = [−wi, wi]
  return f64x2.add(f64x2.mul(x, w), f64x2.mul(f64x2.shuffle(x, x, 1, 0), ws));
}

@inline function twiddle(at: usize, angle: f64): void {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  // W = cos − i sin: [c, c] and [−(−s), −s]
  v128.store(at, f64x2.splat(c));
  v128.store(at, f64x2.replace_lane(f64x2.splat(s), 1, -s), 16);
}

export function configure(windowSizeIn: i32, windowShiftIn: i32, paddedSize: i32, numMelBinsIn: i32, firstBinIn: i32, endBinIn: i32, preemphasisIn: f64, flagsIn: i32, energyFloorIn: f64): void {
  windowSize = windowSizeIn;
  windowShift = windowShiftIn;
  half = paddedSize >> 1;
  numMelBins = numMelBinsIn;
  firstBin = firstBinIn;
  endBin = endBinIn;
  preemphasis = preemphasisIn;
  flags = flagsIn;
  energyFloor = energyFloorIn;

  frameDim = numMelBins + (flags & USE_ENERGY ? 1 : 0);
  samplesAt = reserve(((MAX_FRAMES - 1) * windowShift + windowSize) * 4);
  ditherAt = reserve(windowSize * 8);
  windowAt = reserve(windowSize * 8);
  lowerFilterAt = reserve(endBin * 4);
  binWeightsAt = reserve(endBin * 16);
  outAt = reserve(MAX_FRAMES * frameDim * 4);
  frameAt = reserve(windowSize * 8);
  paddedAt = reserve(paddedSize * 8);
  dataAt = reserve(half * 16);
  spectrumAt = reserve((half + 1) * 8);
  melAt = reserve((numMelBins + 2) * 8);

  const bits = ctz(half);
  reversedAt = reserve(half * 4);
  for (let i = 0; i < half; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    store<u32>(reversedAt + (<usize>i << 2), r << 4);
  }
  let count = 0;
  let h = 4;
  for (; 4 * h <= half; h *= 4) count += h;
  passTwiddlesAt = reserve(count * 64);
  let at = passTwiddlesAt;
  for (h = 4; 4 * h <= half; h *= 4) {
    for (let j = 0; j < h; j++, at += 64) {
      twiddle(at, (Math.PI * j) / h);
      twiddle(at + 32, (Math.PI * j) / (2 * h));
    }
  }
  lastTwiddlesAt = reserve(2 * h <= half ? h * 32 : 0);
  if (2 * h <= half) for (let j = 0; j < h; j++) twiddle(lastTwiddlesAt + (<usize>j << 5), (Math.PI * j) / h);
  splitTwiddlesAt = reserve(half * 32);
  for (let k = 0; k < half; k++) twiddle(splitTwiddlesAt + (<usize>k << 5), (2 * Math.PI * k) / paddedSize);
}

/** log(max(sum of squares, ε)), floored at log(energyFloor) when that is positive. */
function logEnergy(at: usize, length: i32): f64 {
  let e: f64 = 0;
  for (let k = 0; k < length; k++) {
    const x = load<f64>(at + (<usize>k << 3));
    e += x * x;
  }
  const log = Math.log(Math.max(e, FLOAT32_EPSILON));
  return energyFloor > 0 ? Math.max(log, Math.log(energyFloor)) : log;
}

/**
 * `count` (≤ MAX_FRAMES) frames, one shift apart, from the samples at samplesAt → their
 * features at outAt, one after the other.
 */
export function computeFrames(count: i32): void {
  for (let f = 0; f < count; f++) computeFrame(samplesAt + (<usize>(f * windowShift) << 2), outAt + (<usize>(f * frameDim) << 2));
}

function computeFrame(samples: usize, out: usize): void {
  const size = windowSize;
  // float32 samples to float64, with their sum for the DC offset.
  let sum2 = f64x2.splat(0);
  let k = 0;
  if (flags & DITHER) {
    for (; k + 1 < size; k += 2) {
      const x = f64x2.add(f64x2.promote_low_f32x4(v128.load64_zero(samples + (<usize>k << 2))), v128.load(ditherAt + (<usize>k << 3)));
      v128.store(frameAt + (<usize>k << 3), x);
      sum2 = f64x2.add(sum2, x);
    }
  } else {
    for (; k + 1 < size; k += 2) {
      const x = f64x2.promote_low_f32x4(v128.load64_zero(samples + (<usize>k << 2)));
      v128.store(frameAt + (<usize>k << 3), x);
      sum2 = f64x2.add(sum2, x);
    }
  }
  let sum = f64x2.extract_lane(sum2, 0) + f64x2.extract_lane(sum2, 1);
  if (k < size) {
    let x = <f64>load<f32>(samples + (<usize>k << 2));
    if (flags & DITHER) x += load<f64>(ditherAt + (<usize>k << 3));
    store<f64>(frameAt + (<usize>k << 3), x);
    sum += x;
  }

  let mean = flags & REMOVE_DC_OFFSET ? sum / size : 0;
  let energy: f64 = 0;
  const useEnergy = (flags & USE_ENERGY) != 0;
  if (useEnergy && flags & RAW_ENERGY) {
    for (k = 0; k < size; k++) store<f64>(frameAt + (<usize>k << 3), load<f64>(frameAt + (<usize>k << 3)) - mean);
    mean = 0;
    energy = logEnergy(frameAt, size);
  }

  // DC removal, pre-emphasis (the first sample is its own predecessor, torchaudio's replicate
  // pad) and the window in one pass: (x[k] − m) − c (x[k−1] − m) = x[k] − c x[k−1] − (1 − c) m.
  const c = preemphasis;
  const shift = (1 - c) * mean;
  const x0 = load<f64>(frameAt);
  store<f64>(paddedAt, (x0 - c * x0 - shift) * load<f64>(windowAt));
  const c2 = f64x2.splat(c);
  const shift2 = f64x2.splat(shift);
  for (k = 1; k + 1 < size; k += 2) {
    const at = <usize>k << 3;
    const x = v128.load(frameAt + at);
    const prev = v128.load(frameAt + at - 8);
    v128.store(paddedAt + at, f64x2.mul(f64x2.sub(f64x2.sub(x, f64x2.mul(c2, prev)), shift2), v128.load(windowAt + at)));
  }
  if (k < size) {
    const at = <usize>k << 3;
    store<f64>(paddedAt + at, (load<f64>(frameAt + at) - c * load<f64>(frameAt + at - 8) - shift) * load<f64>(windowAt + at));
  }
  if (useEnergy && !(flags & RAW_ENERGY)) energy = logEnergy(paddedAt, half << 1);

  powerSpectrum();
  if (!(flags & USE_POWER)) for (k = 0; k <= half; k++) store<f64>(spectrumAt + (<usize>k << 3), Math.sqrt(load<f64>(spectrumAt + (<usize>k << 3))));

  // Each bin feeds its lower filter and the next: [mel[m], mel[m + 1]] += [lw, uw] × p. The pair
  // stays in a register while m does not change, and each filter sums its bins in ascending
  // order, as a loop per filter would.
  memory.fill(melAt, 0, <usize>(numMelBins + 2) << 3);
  if (firstBin < endBin) {
    let m = load<i32>(lowerFilterAt + (<usize>firstBin << 2));
    let sums = f64x2.splat(0);
    const zero = f64x2.splat(0);
    for (k = firstBin; k < endBin; k++) {
      const mk = load<i32>(lowerFilterAt + (<usize>k << 2));
      if (mk != m) {
        if (mk == m + 1) {
          store<f64>(melAt + (<usize>m << 3), f64x2.extract_lane(sums, 0));
          sums = f64x2.shuffle(sums, zero, 1, 2);
        } else {
          // A bin no filter covers (filter numMelBins is a scratch slot): park the pair.
          v128.store(melAt + (<usize>m << 3), sums);
          sums = v128.load(melAt + (<usize>mk << 3));
        }
        m = mk;
      }
      sums = f64x2.add(sums, f64x2.mul(v128.load(binWeightsAt + (<usize>k << 4)), f64x2.splat(load<f64>(spectrumAt + (<usize>k << 3)))));
    }
    v128.store(melAt + (<usize>m << 3), sums);
  }
  if (useEnergy) {
    store<f32>(out, <f32>energy);
    out += 4;
  }
  if (flags & USE_LOG_FBANK) {
    for (let m = 0; m < numMelBins; m++) store<f32>(out + (<usize>m << 2), Mathf.log(<f32>Math.max(load<f64>(melAt + (<usize>m << 3)), FLOAT32_EPSILON)));
  } else {
    for (let m = 0; m < numMelBins; m++) store<f32>(out + (<usize>m << 2), <f32>load<f64>(melAt + (<usize>m << 3)));
  }
}

/**
 * |X[k]|² for k = 0 … half of the real signal at paddedAt, into spectrumAt: a complex FFT of
 * half the size on the even/odd sample pairs, then the two interleaved spectra separated.
 */
function powerSpectrum(): void {
  const n = half;
  const data = dataAt;
  const flipIm = f64x2(1, -1);
  // Sample pair j is complex value j, already [re, im] in memory; the FFT wants them in
  // bit-reversed order, and its first two stages (twiddles 1 and −i) run on the way in.
  for (let a = 0; a < n; a += 4) {
    const rev = reversedAt + (<usize>a << 2);
    const x0 = v128.load(paddedAt + load<u32>(rev));
    const x1 = v128.load(paddedAt + load<u32>(rev, 4));
    const x2 = v128.load(paddedAt + load<u32>(rev, 8));
    const x3 = v128.load(paddedAt + load<u32>(rev, 12));
    const r0 = f64x2.add(x0, x1);
    const r1 = f64x2.sub(x0, x1);
    const r2 = f64x2.add(x2, x3);
    const r3 = f64x2.sub(x2, x3);
    // r3 × (−i) = [i3, −r3]
    const m3 = f64x2.mul(f64x2.shuffle(r3, r3, 1, 0), flipIm);
    const out = data + (<usize>a << 4);
    v128.store(out, f64x2.add(r0, r2));
    v128.store(out, f64x2.add(r1, m3), 16);
    v128.store(out, f64x2.sub(r0, r2), 32);
    v128.store(out, f64x2.sub(r1, m3), 48);
  }
  // Two radix-2 stages of span h and 2h at once (radix 2²): W_4h^(j+h) = −i W_4h^j makes the
  // fourth twiddle free.
  let tw = passTwiddlesAt;
  let h = 4;
  for (; 4 * h <= n; h *= 4) {
    const step = <usize>h << 4;
    for (let j = 0; j < h; j++, tw += 64) {
      const a = v128.load(tw);
      const as = v128.load(tw, 16);
      const b = v128.load(tw, 32);
      const bs = v128.load(tw, 48);
      for (let a0 = j; a0 < n; a0 += 4 * h) {
        const p0 = data + (<usize>a0 << 4);
        const p1 = p0 + step;
        const p2 = p1 + step;
        const p3 = p2 + step;
        const x0 = v128.load(p0);
        const x2 = v128.load(p2);
        const t1 = complexTimes(v128.load(p1), a, as);
        const t3 = complexTimes(v128.load(p3), a, as);
        const y0 = f64x2.add(x0, t1);
        const y1 = f64x2.sub(x0, t1);
        const u2 = complexTimes(f64x2.add(x2, t3), b, bs);
        const v3 = complexTimes(f64x2.sub(x2, t3), b, bs);
        // v3 × (−i) = [v3i, −v3r]
        const m3 = f64x2.mul(f64x2.shuffle(v3, v3, 1, 0), flipIm);
        v128.store(p0, f64x2.add(y0, u2));
        v128.store(p2, f64x2.sub(y0, u2));
        v128.store(p1, f64x2.add(y1, m3));
        v128.store(p3, f64x2.sub(y1, m3));
      }
    }
  }
  if (2 * h <= n) {
    // An odd number of stages was left: one plain radix-2 stage of span h.
    const step = <usize>h << 4;
    for (let j = 0; j < h; j++) {
      const w = lastTwiddlesAt + (<usize>j << 5);
      const pj = data + (<usize>j << 4);
      const t = complexTimes(v128.load(pj + step), v128.load(w), v128.load(w, 16));
      const x = v128.load(pj);
      v128.store(pj + step, f64x2.sub(x, t));
      v128.store(pj, f64x2.add(x, t));
    }
  }
  // X[k] = E[k] + W^k O[k], with E, O the spectra of the even and odd samples:
  // E = (Z[k] + conj Z[half−k]) / 2, O = (Z[k] − conj Z[half−k]) / 2i.
  const z0 = v128.load(data);
  const dc = f64x2.extract_lane(z0, 0) + f64x2.extract_lane(z0, 1);
  const ny = f64x2.extract_lane(z0, 0) - f64x2.extract_lane(z0, 1);
  store<f64>(spectrumAt, dc * dc);
  store<f64>(spectrumAt + (<usize>n << 3), ny * ny);
  const halfOf = f64x2.splat(0.5);
  const halfFlip = f64x2(0.5, -0.5);
  for (let k = 1; k < n; k++) {
    const z = v128.load(data + (<usize>k << 4));
    const cz = f64x2.mul(v128.load(data + (<usize>(n - k) << 4)), flipIm);
    const e = f64x2.mul(f64x2.add(z, cz), halfOf);
    const d = f64x2.sub(z, cz);
    const o = f64x2.mul(f64x2.shuffle(d, d, 1, 0), halfFlip);
    const w = splitTwiddlesAt + (<usize>k << 5);
    const x = f64x2.add(f64x2.add(e, f64x2.mul(o, v128.load(w))), f64x2.mul(f64x2.shuffle(o, o, 1, 0), v128.load(w, 16)));
    const p = f64x2.mul(x, x);
    store<f64>(spectrumAt + (<usize>k << 3), f64x2.extract_lane(p, 0) + f64x2.extract_lane(p, 1));
  }
}
