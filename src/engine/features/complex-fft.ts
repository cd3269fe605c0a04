/**
 * In-place radix-2² complex FFT of power-of-two size, decimation in time. The real FFT of the
 * fbank front end runs it at half its size once per 10 ms frame, so every table is made once
 * and a transform allocates nothing.
 */
export class ComplexFft {
  readonly bitReverse: Uint32Array;
  /**
   * Twiddles of the fused two-stage passes, in the order the passes read them: for a pass of
   * span h, for j < h, (cos, −sin) of 2πj/(2h) and of 2πj/(4h).
   */
  private readonly passTwiddles: Float64Array;
  /** cos/sin of 2πj/size for a closing radix-2 stage (log2(size) odd). */
  private readonly lastCos: Float64Array;
  private readonly lastSin: Float64Array;

  constructor(readonly size: number) {
    if (!(size >= 4 && (size & (size - 1)) === 0)) throw new RangeError(`complex FFT size ${size} is not a power of two ≥ 4`);
    const bits = Math.log2(size);
    this.bitReverse = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.bitReverse[i] = r;
    }
    const twiddles: number[] = [];
    let h = 4;
    for (; 4 * h <= size; h *= 4) {
      for (let j = 0; j < h; j++) {
        twiddles.push(Math.cos((Math.PI * j) / h), -Math.sin((Math.PI * j) / h), Math.cos((Math.PI * j) / (2 * h)), -Math.sin((Math.PI * j) / (2 * h)));
      }
    }
    this.passTwiddles = Float64Array.from(twiddles);
    const last = 2 * h <= size ? h : 0;
    this.lastCos = Float64Array.from({ length: last }, (_, j) => Math.cos((Math.PI * j) / h));
    this.lastSin = Float64Array.from({ length: last }, (_, j) => Math.sin((Math.PI * j) / h));
  }

  /** X[k] = Σ x[t] e^(−2πi kt/size), in place; natural order in and out. */
  transform(re: Float64Array, im: Float64Array): void {
    const rev = this.bitReverse;
    for (let i = 0; i < this.size; i++) {
      const r = rev[i];
      if (r > i) {
        const tr = re[i];
        re[i] = re[r];
        re[r] = tr;
        const ti = im[i];
        im[i] = im[r];
        im[r] = ti;
      }
    }
    for (let a = 0; a < this.size; a += 4) {
      firstRadix4(re, im, a, re[a], im[a], re[a + 1], im[a + 1], re[a + 2], im[a + 2], re[a + 3], im[a + 3]);
    }
    this.laterStages(re, im);
  }

  /**
   * Every stage after the first two, on data in bit-reversed order whose first two stages
   * (firstRadix4 on each group of four) are done.
   */
  laterStages(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    const tw = this.passTwiddles;
    let at = 0;
    let h = 4;
    // Two radix-2 stages of span h and 2h at once (radix 2²): half the loads and stores, and
    // W_4h^(j+h) = −i W_4h^j makes the fourth twiddle free.
    for (; 4 * h <= n; h *= 4) {
      for (let j = 0; j < h; j++, at += 4) {
        const ar = tw[at];
        const ai = tw[at + 1];
        const br = tw[at + 2];
        const bi = tw[at + 3];
        for (let a0 = j; a0 < n; a0 += 4 * h) {
          const a1 = a0 + h;
          const a2 = a1 + h;
          const a3 = a2 + h;
          const x1r = re[a1];
          const x1i = im[a1];
          const x3r = re[a3];
          const x3i = im[a3];
          const t1r = x1r * ar - x1i * ai;
          const t1i = x1r * ai + x1i * ar;
          const t3r = x3r * ar - x3i * ai;
          const t3i = x3r * ai + x3i * ar;
          const x0r = re[a0];
          const x0i = im[a0];
          const x2r = re[a2];
          const x2i = im[a2];
          const y0r = x0r + t1r;
          const y0i = x0i + t1i;
          const y1r = x0r - t1r;
          const y1i = x0i - t1i;
          const y2r = x2r + t3r;
          const y2i = x2i + t3i;
          const y3r = x2r - t3r;
          const y3i = x2i - t3i;
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
    if (2 * h <= n) {
      // An odd number of stages was left: finish with one plain radix-2 stage of span h.
      const { lastCos, lastSin } = this;
      for (let j = 0; j < h; j++) {
        const wr = lastCos[j];
        const wi = -lastSin[j];
        const b = j + h;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[j] - tr;
        im[b] = im[j] - ti;
        re[j] += tr;
        im[j] += ti;
      }
    }
  }
}

/**
 * The first two radix-2 stages of four consecutive bit-reversed inputs, written to a … a + 3.
 * Their twiddles are 1 and −i, so no multiplications. Taking the inputs as arguments lets the
 * real FFT feed them straight from its packed signal, skipping a separate reordering pass.
 */
export function firstRadix4(
  re: Float64Array,
  im: Float64Array,
  a: number,
  x0r: number,
  x0i: number,
  x1r: number,
  x1i: number,
  x2r: number,
  x2i: number,
  x3r: number,
  x3i: number,
): void {
  const r0 = x0r + x1r;
  const i0 = x0i + x1i;
  const r1 = x0r - x1r;
  const i1 = x0i - x1i;
  const r2 = x2r + x3r;
  const i2 = x2i + x3i;
  const r3 = x2r - x3r;
  const i3 = x2i - x3i;
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
