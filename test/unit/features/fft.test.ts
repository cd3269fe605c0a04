import { describe, expect, it } from 'vitest';
import { RealFft } from '../../../src/engine/features/fft';

function naivePower(x: Float64Array): Float64Array {
  const n = x.length;
  const out = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      re += x[t] * Math.cos((2 * Math.PI * k * t) / n);
      im -= x[t] * Math.sin((2 * Math.PI * k * t) / n);
    }
    out[k] = re * re + im * im;
  }
  return out;
}

describe('RealFft', () => {
  it.each([8, 16, 32, 64, 128, 256, 512, 1024, 2048])('gives the power spectrum of a real signal of size %i', (size) => {
    const x = Float64Array.from({ length: size }, (_, i) => Math.sin(i * 0.37) + 0.5 * Math.cos(i * 1.91) + ((i * 7919) % 13) / 13 - 0.5);
    const out = new Float64Array(size / 2 + 1);
    new RealFft(size).powerSpectrum(x, out);
    const expected = naivePower(x);
    const scale = Math.max(...expected);
    out.forEach((v, k) => expect(Math.abs(v - expected[k])).toBeLessThan(1e-9 * scale));
  });

  it('refuses sizes that are not powers of two', () => {
    expect(() => new RealFft(400)).toThrow(/power of two/);
  });
});
