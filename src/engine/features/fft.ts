/**
 * Power spectrum of a real signal of power-of-two length N, by the usual trick: pack the N
 * reals into N/2 complex values, run one radix-2 complex FFT of half the size, then separate
 * the even and odd halves. All tables and buffers are made once, so `powerSpectrum` allocates
 * nothing: it runs once per 10 ms frame.
 */
export class RealFft {
  private readonly half: number;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly bitReverse: Uint32Array;
  /** cos/sin of 2πk/(N/2), the half-size FFT's twiddles. */
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  /** cos/sin of 2πk/N, for separating the two interleaved half-length spectra. */
  private readonly splitCos: Float64Array;
  private readonly splitSin: Float64Array;

  constructor(readonly size: number) {
    if (!(size >= 8 && (size & (size - 1)) === 0)) throw new RangeError(`FFT size ${size} is not a power of two ≥ 8`);
    const half = size / 2;
    this.half = half;
    this.re = new Float64Array(half);
    this.im = new Float64Array(half);
    this.bitReverse = new Uint32Array(half);
    const bits = Math.log2(half);
    for (let i = 0; i < half; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.bitReverse[i] = r;
    }
    this.cos = new Float64Array(half / 2);
    this.sin = new Float64Array(half / 2);
    for (let k = 0; k < half / 2; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / half);
      this.sin[k] = Math.sin((2 * Math.PI * k) / half);
    }
    this.splitCos = new Float64Array(half);
    this.splitSin = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      this.splitCos[k] = Math.cos((2 * Math.PI * k) / size);
      this.splitSin[k] = Math.sin((2 * Math.PI * k) / size);
    }
  }

  /** |X[k]|² for k = 0 … N/2 of the N samples in `input`, written to `out` (length N/2 + 1). */
  powerSpectrum(input: Float64Array, out: Float64Array): void {
    const { half, re, im, bitReverse, cos, sin, splitCos, splitSin } = this;
    for (let j = 0; j < half; j++) {
      const r = bitReverse[j];
      re[r] = input[2 * j];
      im[r] = input[2 * j + 1];
    }
    // The first two stages need no multiplications (twiddles 1 and −i): do them as one radix-4 pass.
    for (let a = 0; a < half; a += 4) {
      const r0 = re[a] + re[a + 1];
      const i0 = im[a] + im[a + 1];
      const r1 = re[a] - re[a + 1];
      const i1 = im[a] - im[a + 1];
      const r2 = re[a + 2] + re[a + 3];
      const i2 = im[a + 2] + im[a + 3];
      const r3 = re[a + 2] - re[a + 3];
      const i3 = im[a + 2] - im[a + 3];
      re[a] = r0 + r2;
      im[a] = i0 + i2;
      re[a + 2] = r0 - r2;
      im[a + 2] = i0 - i2;
      // (r3 + i i3) × (−i) = i3 − i r3
      re[a + 1] = r1 + i3;
      im[a + 1] = i1 - r3;
      re[a + 3] = r1 - i3;
      im[a + 3] = i1 + r3;
    }
    // Then the remaining radix-2 stages two at a time (span h and 2h fused: radix 2²), which
    // halves the loads and stores; W_4h^(j+h) = −i W_4h^j makes the fourth twiddle free.
    let h = 4;
    for (; 4 * h <= half; h *= 4) {
      const stepA = half / (2 * h);
      const stepB = half / (4 * h);
      for (let j = 0; j < h; j++) {
        const ar = cos[j * stepA];
        const ai = -sin[j * stepA];
        const br = cos[j * stepB];
        const bi = -sin[j * stepB];
        for (let a0 = j; a0 < half; a0 += 4 * h) {
          const a1 = a0 + h;
          const a2 = a1 + h;
          const a3 = a2 + h;
          const t1r = re[a1] * ar - im[a1] * ai;
          const t1i = re[a1] * ai + im[a1] * ar;
          const t3r = re[a3] * ar - im[a3] * ai;
          const t3i = re[a3] * ai + im[a3] * ar;
          const y0r = re[a0] + t1r;
          const y0i = im[a0] + t1i;
          const y1r = re[a0] - t1r;
          const y1i = im[a0] - t1i;
          const y2r = re[a2] + t3r;
          const y2i = im[a2] + t3i;
          const y3r = re[a2] - t3r;
          const y3i = im[a2] - t3i;
          const u2r = y2r * br - y2i * bi;
          const u2i = y2r * bi + y2i * br;
          // y3 · W · (−i): multiply, then (r, i) → (i, −r).
          const v3r = y3r * br - y3i * bi;
          const v3i = y3r * bi + y3i * br;
          re[a0] = y0r + u2r;
          im[a0] = y0i + u2i;
          re[a2] = y0r - u2r;
          im[a2] = y0i - u2i;
          re[a1] = y1r + v3i;
          im[a1] = y1i - v3r;
          re[a3] = y1r - v3i;
          im[a3] = y1i + v3r;
        }
      }
    }
    if (2 * h <= half) {
      // An odd number of stages was left: finish with one plain radix-2 stage of span h.
      const step = half / (2 * h);
      for (let j = 0; j < h; j++) {
        const wr = cos[j * step];
        const wi = -sin[j * step];
        for (let a = j; a < half; a += 2 * h) {
          const b = a + h;
          const tr = re[b] * wr - im[b] * wi;
          const ti = re[b] * wi + im[b] * wr;
          re[b] = re[a] - tr;
          im[b] = im[a] - ti;
          re[a] += tr;
          im[a] += ti;
        }
      }
    }
    // X[k] = E[k] + W^k O[k], with E, O the spectra of the even and odd samples:
    // E = (Z[k] + conj Z[half−k]) / 2, O = (Z[k] − conj Z[half−k]) / 2i.
    const dc = re[0] + im[0];
    const ny = re[0] - im[0];
    out[0] = dc * dc;
    out[half] = ny * ny;
    for (let k = 1; k < half; k++) {
      const zr = re[k];
      const zi = im[k];
      const cr = re[half - k];
      const ci = -im[half - k];
      const er = 0.5 * (zr + cr);
      const ei = 0.5 * (zi + ci);
      const or = 0.5 * (zi - ci);
      const oi = -0.5 * (zr - cr);
      const wr = splitCos[k];
      const wi = -splitSin[k];
      const xr = er + wr * or - wi * oi;
      const xi = ei + wr * oi + wi * or;
      out[k] = xr * xr + xi * xi;
    }
  }
}
