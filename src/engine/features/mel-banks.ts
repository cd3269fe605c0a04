/** Kaldi's mel scale: 1127 ln(1 + f / 700). */
export function melScale(hz: number): number {
  return 1127 * Math.log(1 + hz / 700);
}

/**
 * Triangular mel filters stored sparsely: filter m covers FFT bins first[m] .. first[m] +
 * width[m] − 1 and its weights are weights[offset[m] ..]. Only the non-zero span is kept, so
 * applying all 80 filters costs about two multiply-adds per FFT bin instead of 80.
 */
export interface MelBanks {
  first: Int32Array;
  width: Int32Array;
  offset: Int32Array;
  weights: Float64Array;
  /**
   * The same filters bin by bin, for one pass over the spectrum: adjacent triangles overlap by
   * half, so bin k (firstBin ≤ k < endBin) feeds filter lowerFilter[k] with lowerWeight[k] and
   * filter lowerFilter[k] + 1 with upperWeight[k] (filter numBins is a scratch slot).
   */
  firstBin: number;
  endBin: number;
  lowerFilter: Int32Array;
  lowerWeight: Float64Array;
  upperWeight: Float64Array;
}

/**
 * Filters as torchaudio.compliance.kaldi.get_mel_banks builds them (no VTLN warping): equally
 * spaced on the mel scale between lowFreq and highFreq, evaluated at the centre of each of the
 * paddedSize / 2 FFT bins; the Nyquist bin always gets weight zero.
 */
export function melBanks(numBins: number, paddedSize: number, sampleFrequency: number, lowFreq: number, highFreq: number): MelBanks {
  const nyquist = sampleFrequency / 2;
  const high = highFreq <= 0 ? highFreq + nyquist : highFreq;
  const numFftBins = paddedSize / 2;
  const binWidth = sampleFrequency / paddedSize;
  const melLow = melScale(lowFreq);
  const delta = (melScale(high) - melLow) / (numBins + 1);
  const first = new Int32Array(numBins);
  const width = new Int32Array(numBins);
  const offset = new Int32Array(numBins);
  const rows: Float64Array[] = [];
  // Each bin's mel value once, not once per filter: building the banks runs per stream.
  const binMels = Float64Array.from({ length: numFftBins }, (_, k) => melScale(binWidth * k));
  for (let m = 0; m < numBins; m++) {
    const left = melLow + m * delta;
    const center = melLow + (m + 1) * delta;
    const right = melLow + (m + 2) * delta;
    const dense = new Float64Array(numFftBins);
    for (let k = 0; k < numFftBins; k++) {
      const mel = binMels[k];
      dense[k] = Math.max(0, Math.min((mel - left) / (center - left), (right - mel) / (right - center)));
    }
    let lo = 0;
    while (lo < numFftBins && dense[lo] === 0) lo++;
    let hi = numFftBins;
    while (hi > lo && dense[hi - 1] === 0) hi--;
    first[m] = lo;
    width[m] = hi - lo;
    offset[m] = m === 0 ? 0 : offset[m - 1] + width[m - 1];
    rows.push(dense.slice(lo, hi));
  }
  const weights = new Float64Array(offset[numBins - 1] + width[numBins - 1]);
  rows.forEach((row, m) => weights.set(row, offset[m]));
  return { first, width, offset, weights, ...byBin(first, width, offset, weights) };
}

function byBin(first: Int32Array, width: Int32Array, offset: Int32Array, weights: Float64Array): Pick<MelBanks, 'firstBin' | 'endBin' | 'lowerFilter' | 'lowerWeight' | 'upperWeight'> {
  const numBins = first.length;
  const firstBin = first[0];
  const endBin = Math.max(...Array.from(first, (f, m) => f + width[m]));
  const lowerFilter = new Int32Array(endBin).fill(numBins);
  const lowerWeight = new Float64Array(endBin);
  const upperWeight = new Float64Array(endBin);
  for (let m = 0; m < numBins; m++) {
    for (let k = first[m]; k < first[m] + width[m]; k++) {
      const w = weights[offset[m] + k - first[m]];
      if (lowerFilter[k] === numBins) {
        lowerFilter[k] = m;
        lowerWeight[k] = w;
      } else if (lowerFilter[k] === m - 1) {
        upperWeight[k] = w;
      } else {
        throw new Error(`mel filters ${lowerFilter[k]} and ${m} both cover FFT bin ${k}`);
      }
    }
  }
  return { firstBin, endBin, lowerFilter, lowerWeight, upperWeight };
}
