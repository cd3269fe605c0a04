import type { WindowType } from './fbank-options';

/**
 * The analysis window, as torchaudio.compliance.kaldi._feature_window_function builds it
 * (symmetric: the cosine spans size − 1 samples). Povey is Hann raised to 0.85, Kaldi's
 * default: it goes to zero at the edges like Hann but is a bit fatter in the middle.
 */
export function frameWindow(type: WindowType, size: number, blackmanCoeff = 0.42): Float64Array {
  const w = new Float64Array(size);
  const a = (2 * Math.PI) / (size - 1);
  for (let n = 0; n < size; n++) {
    const hann = 0.5 - 0.5 * Math.cos(a * n);
    switch (type) {
      case 'povey':
        w[n] = Math.pow(hann, 0.85);
        break;
      case 'hanning':
        w[n] = hann;
        break;
      case 'hamming':
        w[n] = 0.54 - 0.46 * Math.cos(a * n);
        break;
      case 'rectangular':
        w[n] = 1;
        break;
      case 'blackman':
        w[n] = blackmanCoeff - 0.5 * Math.cos(a * n) + (0.5 - blackmanCoeff) * Math.cos(2 * a * n);
        break;
    }
  }
  return w;
}
