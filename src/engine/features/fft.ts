import { ComplexFft, firstRadix4 } from './complex-fft';

/**
 * Power spectrum of a real signal of power-of-two length N, by the usual trick: pack the N
 * reals into N/2 complex values, run one complex FFT of half the size, then separate the
 * spectra of the even and odd samples. All tables and buffers are made once, so
 * `powerSpectrum` allocates nothing: it runs once per 10 ms frame.
 */
export class RealFft {
  private readonly half: number;
  private readonly complex: ComplexFft;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  /** cos/sin of 2πk/N, for separating the two interleaved half-length spectra. */
  private readonly splitCos: Float64Array;
  private readonly splitSin: Float64Array;

  constructor(readonly size: number) {
    if (!(size >= 8 && (size & (size - 1)) === 0)) throw new RangeError(`FFT size ${size} is not a power of two ≥ 8`);
    const half = size / 2;
    this.half = half;
    this.complex = new ComplexFft(half);
    this.re = new Float64Array(half);
    this.im = new Float64Array(half);
    this.splitCos = Float64Array.from({ length: half }, (_, k) => Math.cos((2 * Math.PI * k) / size));
    this.splitSin = Float64Array.from({ length: half }, (_, k) => Math.sin((2 * Math.PI * k) / size));
  }

  /** |X[k]|² for k = 0 … N/2 of the N samples in `input`, written to `out` (length N/2 + 1). */
  powerSpectrum(input: Float64Array, out: Float64Array): void {
    const { half, re, im, splitCos, splitSin } = this;
    const rev = this.complex.bitReverse;
    // Sample pair j is complex value j; the complex FFT wants them in bit-reversed order, and
    // its first two stages run here on the way in.
    for (let a = 0; a < half; a += 4) {
      const j0 = 2 * rev[a];
      const j1 = 2 * rev[a + 1];
      const j2 = 2 * rev[a + 2];
      const j3 = 2 * rev[a + 3];
      firstRadix4(re, im, a, input[j0], input[j0 + 1], input[j1], input[j1 + 1], input[j2], input[j2 + 1], input[j3], input[j3 + 1]);
    }
    this.complex.laterStages(re, im);
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
