/**
 * Test helper: the joiner's arithmetic written out plainly in float32 steps, to hold the
 * WebAssembly kernel to: MLAS's tanh (its clamp and rational function; for int8 near saturation
 * with fused multiply-adds, see assembly/joiner-kernel.ts), then the fp32 output layer (summed in
 * float64), or onnxruntime's DynamicQuantizeMatMul (GetQuantizationParameter, MlasQuantizeLinear,
 * int32 sums, MLAS's scale-and-bias step).
 */
import type { JoinerWeights } from '../../../src/engine/asr/joiner-graph';

const f = Math.fround;
const ALPHA = [-2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-8, 1.48572235717979e-5, 6.37261928875436e-4, 4.89352455891786e-3].map(f);
const BETA = [1.19825839466702e-6, 1.18534705686654e-4, 2.268434632439e-3, 4.89352518554385e-3].map(f);

/** a · b + c rounded once to float32 (a fused multiply-add), or after each step. */
const fused = (a: number, b: number, c: number): number => f(a * b + c);
const plain = (a: number, b: number, c: number): number => f(f(a * b) + c);

/** MLAS's tanh: with `madd` fused as onnxruntime on a CPU with FMA, plain as the kernel mostly does. */
export function mlasTanh(x: number, madd = plain): number {
  const v = Math.min(9, Math.max(-9, x));
  const v2 = f(v * v);
  let p = madd(v2, ALPHA[0], ALPHA[1]);
  for (let i = 2; i < ALPHA.length; i++) p = madd(p, v2, ALPHA[i]);
  p = f(p * v);
  let q = madd(v2, BETA[0], BETA[1]);
  for (let i = 2; i < BETA.length; i++) q = madd(q, v2, BETA[i]);
  return f(p / q);
}

/** The kernel's tanh of a row-major block: int8 joiners take the fused form for each group of four with a value beyond ±7. */
function hiddenOf(w: JoinerWeights, encoder: Float32Array, decoder: Float32Array, n: number): Float32Array {
  const sums = Float32Array.from({ length: n }, (_, i) => f(encoder[i] + decoder[i]));
  return sums.map((s, i) => {
    const group = sums.subarray(i - (i % 4), i - (i % 4) + 4);
    return mlasTanh(s, w.kind === 'int8' && group.some((g) => Math.abs(g) > 7) ? fused : plain);
  });
}

const roundHalfEven = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

export function referenceLogits(w: JoinerWeights, encoder: Float32Array, decoder: Float32Array, rows: number): Float32Array {
  const { dim, vocab } = w;
  const hidden = hiddenOf(w, encoder, decoder, rows * dim);
  const out = new Float32Array(rows * vocab);
  if (w.kind === 'fp32') {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < vocab; c++) {
        let sum = 0;
        for (let k = 0; k < dim; k++) sum += hidden[r * dim + k] * w.weight[c * dim + k];
        out[r * vocab + c] = sum + w.bias[c];
      }
    }
    return out;
  }
  const min = Math.min(0, ...hidden);
  const max = Math.max(0, ...hidden);
  const scale = max === min ? 1 : f(f(max - min) / 255);
  const zeroPoint = roundHalfEven(Math.max(0, Math.min(255, f(0 - f(min / scale)))));
  const quantised = hidden.map((h) => roundHalfEven(Math.max(-zeroPoint, Math.min(255 - zeroPoint, f(h / scale)))));
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < vocab; c++) {
      let sum = 0;
      for (let k = 0; k < dim; k++) sum += quantised[r * dim + k] * w.weight[c * dim + k];
      out[r * vocab + c] = f(f(f(sum) * f(scale * w.columnScale[c])) + w.bias[c]);
    }
  }
  return out;
}
