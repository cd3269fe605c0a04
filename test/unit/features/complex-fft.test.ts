import { describe, expect, it } from 'vitest';
import { ComplexFft } from '../../../src/engine/features/complex-fft';
import { RealFft } from '../../../src/engine/features/fft';

const signal = (n: number, phase: number): Float64Array => Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + phase) + 0.5 * Math.cos(i * 1.91) + ((i * 7919) % 13) / 13 - 0.5);

function naiveDft(re: Float64Array, im: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = re.length;
  const out = { re: new Float64Array(n), im: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < n; t++) {
      const c = Math.cos((2 * Math.PI * k * t) / n);
      const s = Math.sin((2 * Math.PI * k * t) / n);
      out.re[k] += re[t] * c + im[t] * s;
      out.im[k] += im[t] * c - re[t] * s;
    }
  }
  return out;
}

describe('ComplexFft', () => {
  it.each([4, 8, 16, 32, 64, 128, 256, 512])('transforms a complex signal of size %i as the DFT does', (size) => {
    const re = signal(size, 0);
    const im = signal(size, 1.3);
    const expected = naiveDft(re, im);
    new ComplexFft(size).transform(re, im);
    for (let k = 0; k < size; k++) {
      expect(re[k]).toBeCloseTo(expected.re[k], 9);
      expect(im[k]).toBeCloseTo(expected.im[k], 9);
    }
  });

  it('refuses sizes that are not powers of two', () => {
    expect(() => new ComplexFft(12)).toThrow(/power of two/);
  });
});

describe('RealFft against the complex FFT', () => {
  it.each([8, 16, 64, 256, 512, 1024])('gives |X[k]|² of the complex transform of the same real signal, size %i', (size) => {
    const x = signal(size, 0.4);
    const re = Float64Array.from(x);
    const im = new Float64Array(size);
    new ComplexFft(size).transform(re, im);
    const power = new Float64Array(size / 2 + 1);
    new RealFft(size).powerSpectrum(x, power);
    const scale = Math.max(...power);
    for (let k = 0; k <= size / 2; k++) expect(Math.abs(power[k] - (re[k] ** 2 + im[k] ** 2))).toBeLessThan(1e-12 * scale);
  });

  it('leaves its input untouched, so one frame can be transformed twice alike', () => {
    const x = signal(512, 2);
    const copy = Float64Array.from(x);
    const fft = new RealFft(512);
    const a = new Float64Array(257);
    const b = new Float64Array(257);
    fft.powerSpectrum(x, a);
    fft.powerSpectrum(x, b);
    expect(x).toEqual(copy);
    expect(b).toEqual(a);
  });
});
