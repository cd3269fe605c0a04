// AssemblyScript, compiled to ../joiner-kernel-binary.ts by scripts/build-wasm.ts (`npm run build:wasm`).
// A transducer joiner of the shape icefall exports: logits = W · tanh(encoder_out + decoder_out) + b,
// over a batch of rows, with wasm SIMD. Two forms of the output layer:
//
// - fp32 (Gemm): the weights as given;
// - int8 (onnxruntime's DynamicQuantizeMatMul): the activations quantised to uint8 on every call with
//   one scale and zero point for the whole call, int32 sums against (B − zero point of B's column),
//   then × (activation scale · B's column scale) + bias, with onnxruntime's rules for each step, so
//   that the sums are exact and the logits equal onnxruntime's wherever the tanh does.
//
// The tanh is MLAS's rational approximation (the same clamp and coefficients). onnxruntime evaluates
// it with fused multiply-adds (x86-64 with FMA, ARM64), which wasm SIMD has not: in float32 steps a
// value differs from onnxruntime's by up to 8 ulps. That matters to the int8 form where tanh
// saturates: activations within ulps of ±1 quantise to within ulps of a rounding tie (±127.5 when
// the call's range is [−1, 1]), and 16 % of a beam decode's rows came out one quantum apart from
// onnxruntime's. So the int8 form computes each group of four values with one beyond ±7 (tanh
// within 30 ulps of ±1; 14 % of the groups in a beam decode) as onnxruntime does, fused multiply-adds
// emulated in float64 (twice the cost of the plain tanh, bit for bit on 65,536 of 65,536 values):
// 0.2 % of rows then differ, for 0.5 µs a call more (2.4 against 1.9 µs; onnxruntime's call ~8 µs).
//
// configure() lays out the weights; the host writes them, then reserveRows() lays out the rows'
// buffers (again, larger, whenever a bigger batch comes: memory only grows there), and per call
// the host writes the rows into encoderAt and decoderAt and calls run(rows).

/** Where the host writes the output layer's weights: column-major, vocab × dim (f32, or i16 as B − zero point for int8). */
export let weightsAt: usize = 0;
/** The bias (f32 × vocab). */
export let biasAt: usize = 0;
/** int8: each column's scale of B (f32 × vocab). */
export let columnScaleAt: usize = 0;
/** The rows' encoder and prediction network outputs (f32 × rows × dim), written by the host. */
export let encoderAt: usize = 0;
export let decoderAt: usize = 0;
/** The logits (f32 × rows × vocab). */
export let outAt: usize = 0;
/** How many rows the buffers hold. */
export let capacity: i32 = 0;

let dim: i32 = 0;
let vocab: i32 = 0;
let quantized: bool = false;
/** int8: the activations, quantised and less their zero point (i16 × rows × dim). */
let quantAt: usize = 0;
/** int8: activation scale × column scale, per call (f32 × vocab). */
let multiplierAt: usize = 0;
let rowsFrom: usize = 0;

function align(at: usize): usize {
  return (at + 15) & ~(<usize>15);
}

function ensureMemory(end: usize): void {
  const pages = <i32>((end + 0xffff) >>> 16);
  if (pages > memory.size()) memory.grow(pages - memory.size());
}

/** `dimIn` a multiple of 8 (the host checks). */
export function configure(dimIn: i32, vocabIn: i32, quantizedIn: bool): void {
  dim = dimIn;
  vocab = vocabIn;
  quantized = quantizedIn;
  weightsAt = align(__heap_base);
  biasAt = align(weightsAt + <usize>(vocab * dim * (quantized ? 2 : 4)));
  columnScaleAt = align(biasAt + (<usize>vocab << 2));
  multiplierAt = align(columnScaleAt + (<usize>vocab << 2));
  rowsFrom = align(multiplierAt + (<usize>vocab << 2));
  capacity = 0;
  ensureMemory(rowsFrom);
}

/** Buffers for at least `rows` rows (their contents are not kept). */
export function reserveRows(rows: i32): void {
  if (rows <= capacity) return;
  capacity = rows;
  const rowBytes = <usize>(rows * dim) << 2;
  encoderAt = rowsFrom;
  decoderAt = align(encoderAt + rowBytes);
  quantAt = align(decoderAt + rowBytes);
  outAt = align(quantAt + (quantized ? rowBytes >>> 1 : 0));
  ensureMemory(outAt + (<usize>(rows * vocab) << 2));
}

const LOWER = f32x4.splat(-9.0);
const UPPER = f32x4.splat(9.0);
const ALPHA_13 = f32x4.splat(-2.76076847742355e-16);
const ALPHA_11 = f32x4.splat(2.00018790482477e-13);
const ALPHA_9 = f32x4.splat(-8.60467152213735e-11);
const ALPHA_7 = f32x4.splat(5.12229709037114e-8);
const ALPHA_5 = f32x4.splat(1.48572235717979e-5);
const ALPHA_3 = f32x4.splat(6.37261928875436e-4);
const ALPHA_1 = f32x4.splat(4.89352455891786e-3);
const BETA_6 = f32x4.splat(1.19825839466702e-6);
const BETA_4 = f32x4.splat(1.18534705686654e-4);
const BETA_2 = f32x4.splat(2.268434632439e-3);
const BETA_0 = f32x4.splat(4.89352518554385e-3);

@inline function madd(a: v128, b: v128, c: v128): v128 {
  return f32x4.add(f32x4.mul(a, b), c);
}

/** MLAS's tanh: an odd rational function of x clamped to ±9. */
@inline function tanh4(x: v128): v128 {
  const v = f32x4.pmin(f32x4.pmax(x, LOWER), UPPER);
  const v2 = f32x4.mul(v, v);
  let p = madd(v2, ALPHA_13, ALPHA_11);
  p = madd(p, v2, ALPHA_9);
  p = madd(p, v2, ALPHA_7);
  p = madd(p, v2, ALPHA_5);
  p = madd(p, v2, ALPHA_3);
  p = madd(p, v2, ALPHA_1);
  p = f32x4.mul(p, v);
  let q = madd(v2, BETA_6, BETA_4);
  q = madd(q, v2, BETA_2);
  q = madd(q, v2, BETA_0);
  return f32x4.div(p, q);
}

// The same in float64 lanes, each step rounded to float32 as onnxruntime's fused multiply-adds
// round: a product of two floats is exact in float64, so only the sum is rounded twice (to float64,
// then to float32), which gives the fused result but for rare double-rounding ties.
const D_ALPHA_13 = f64x2.splat(<f64>(<f32>-2.76076847742355e-16));
const D_ALPHA_11 = f64x2.splat(<f64>(<f32>2.00018790482477e-13));
const D_ALPHA_9 = f64x2.splat(<f64>(<f32>-8.60467152213735e-11));
const D_ALPHA_7 = f64x2.splat(<f64>(<f32>5.12229709037114e-8));
const D_ALPHA_5 = f64x2.splat(<f64>(<f32>1.48572235717979e-5));
const D_ALPHA_3 = f64x2.splat(<f64>(<f32>6.37261928875436e-4));
const D_ALPHA_1 = f64x2.splat(<f64>(<f32>4.89352455891786e-3));
const D_BETA_6 = f64x2.splat(<f64>(<f32>1.19825839466702e-6));
const D_BETA_4 = f64x2.splat(<f64>(<f32>1.18534705686654e-4));
const D_BETA_2 = f64x2.splat(<f64>(<f32>2.268434632439e-3));
const D_BETA_0 = f64x2.splat(<f64>(<f32>4.89352518554385e-3));

@inline function toFloat32(x: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(x));
}

@inline function fusedMadd(a: v128, b: v128, c: v128): v128 {
  return toFloat32(f64x2.add(f64x2.mul(a, b), c));
}

/** MLAS's tanh of two clamped values (float64 lanes) with fused multiply-adds; float32 results in the low half. */
@inline function fusedTanh2(v: v128): v128 {
  const v2 = toFloat32(f64x2.mul(v, v));
  let p = fusedMadd(v2, D_ALPHA_13, D_ALPHA_11);
  p = fusedMadd(p, v2, D_ALPHA_9);
  p = fusedMadd(p, v2, D_ALPHA_7);
  p = fusedMadd(p, v2, D_ALPHA_5);
  p = fusedMadd(p, v2, D_ALPHA_3);
  p = fusedMadd(p, v2, D_ALPHA_1);
  p = toFloat32(f64x2.mul(p, v));
  let q = fusedMadd(v2, D_BETA_6, D_BETA_4);
  q = fusedMadd(q, v2, D_BETA_2);
  q = fusedMadd(q, v2, D_BETA_0);
  // Division is correctly rounded through float64 (53 ≥ 2 · 24 + 2 bits).
  return f32x4.demote_f64x2_zero(f64x2.div(p, q));
}

/** MLAS's tanh as onnxruntime computes it on a CPU with FMA. */
function fusedTanh4(x: v128): v128 {
  const v = f32x4.pmin(f32x4.pmax(x, LOWER), UPPER);
  const low = fusedTanh2(f64x2.promote_low_f32x4(v));
  const high = fusedTanh2(f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
  return v128.shuffle<f32>(low, high, 0, 1, 4, 5);
}

/** Beyond it tanh is within 30 ulps of ±1: such groups get the fused tanh (int8 only). */
const SATURATING = f32x4.splat(7.0);

const ROUNDER = f32x4.splat(12582912.0);
const ROUNDER_BITS = i32x4.splat(0x4b400000);

/**
 * Rounds to the nearest integer, ties to even, for |x| < 2^22: adding 1.5 · 2^23 leaves the
 * rounded value in the low bits of the sum (two instructions, where nearest and trunc_sat are many).
 */
@inline function roundToInt(x: v128): v128 {
  return i32x4.sub(f32x4.add(x, ROUNDER), ROUNDER_BITS);
}

@inline function sum4(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

@inline function sumI4(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}

/** The logits of `rows` (≤ capacity) rows into outAt. */
export function run(rows: i32): void {
  const n = <usize>(rows * dim) << 2;
  // tanh(encoder + decoder), in place of the encoder rows; min and max for the int8 form.
  let lo = f32x4.splat(0);
  let hi = f32x4.splat(0);
  for (let at: usize = 0; at < n; at += 16) {
    const sum = f32x4.add(v128.load(encoderAt + at), v128.load(decoderAt + at));
    const h = quantized && v128.any_true(f32x4.gt(f32x4.abs(sum), SATURATING)) ? fusedTanh4(sum) : tanh4(sum);
    v128.store(encoderAt + at, h);
    lo = f32x4.pmin(lo, h);
    hi = f32x4.pmax(hi, h);
  }
  if (quantized) {
    quantize(n, lo, hi);
    int8Product(rows);
  } else {
    floatProduct(rows);
  }
}

function floatProduct(rows: i32): void {
  const rowBytes = <usize>dim << 2;
  for (let c = 0; c < vocab; c++) {
    const w = weightsAt + <usize>c * rowBytes;
    const b = load<f32>(biasAt + (<usize>c << 2));
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      const h0 = encoderAt + <usize>r * rowBytes;
      const h1 = h0 + rowBytes;
      const h2 = h1 + rowBytes;
      const h3 = h2 + rowBytes;
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      let a2 = f32x4.splat(0);
      let a3 = f32x4.splat(0);
      for (let k: usize = 0; k < rowBytes; k += 16) {
        const wk = v128.load(w + k);
        a0 = madd(v128.load(h0 + k), wk, a0);
        a1 = madd(v128.load(h1 + k), wk, a1);
        a2 = madd(v128.load(h2 + k), wk, a2);
        a3 = madd(v128.load(h3 + k), wk, a3);
      }
      const o = outAt + (<usize>(r * vocab + c) << 2);
      const stride = <usize>vocab << 2;
      store<f32>(o, sum4(a0) + b);
      store<f32>(o + stride, sum4(a1) + b);
      store<f32>(o + 2 * stride, sum4(a2) + b);
      store<f32>(o + 3 * stride, sum4(a3) + b);
    }
    for (; r < rows; r++) {
      const h = encoderAt + <usize>r * rowBytes;
      let a = f32x4.splat(0);
      for (let k: usize = 0; k < rowBytes; k += 16) a = madd(v128.load(h + k), v128.load(w + k), a);
      store<f32>(outAt + (<usize>(r * vocab + c) << 2), sum4(a) + b);
    }
  }
}

/**
 * onnxruntime's dynamic quantisation of the call's activations (GetQuantizationParameter and
 * MlasQuantizeLinear): the range widened to hold 0, scale (max − min) / 255, zero point
 * −min / scale clamped to [0, 255] and rounded half to even, each value x / scale clamped to
 * [−zp, 255 − zp] and rounded half to even. Kept less the zero point, as i16.
 */
function quantize(n: usize, lo: v128, hi: v128): void {
  const min = Mathf.min(Mathf.min(f32x4.extract_lane(lo, 0), f32x4.extract_lane(lo, 1)), Mathf.min(f32x4.extract_lane(lo, 2), f32x4.extract_lane(lo, 3)));
  const max = Mathf.max(Mathf.max(f32x4.extract_lane(hi, 0), f32x4.extract_lane(hi, 1)), Mathf.max(f32x4.extract_lane(hi, 2), f32x4.extract_lane(hi, 3)));
  const scale: f32 = max == min ? 1 : (max - min) / <f32>255;
  const zeroPoint: f32 = nearest<f32>(Mathf.max(<f32>0, Mathf.min(<f32>255, <f32>0 - min / scale)));
  const scales = f32x4.splat(scale);
  const floor = f32x4.splat(-zeroPoint);
  const ceiling = f32x4.splat(<f32>255 - zeroPoint);
  for (let at: usize = 0; at < n; at += 32) {
    const x0 = f32x4.pmin(f32x4.pmax(f32x4.div(v128.load(encoderAt + at), scales), floor), ceiling);
    const x1 = f32x4.pmin(f32x4.pmax(f32x4.div(v128.load(encoderAt + at + 16), scales), floor), ceiling);
    v128.store(quantAt + (at >>> 1), i16x8.narrow_i32x4_s(roundToInt(x0), roundToInt(x1)));
  }
  for (let c = 0; c < vocab; c++) {
    const at = <usize>c << 2;
    store<f32>(multiplierAt + at, scale * load<f32>(columnScaleAt + at));
  }
}

function int8Product(rows: i32): void {
  const rowBytes = <usize>dim << 1;
  for (let c = 0; c < vocab; c++) {
    const w = weightsAt + <usize>c * rowBytes;
    const m = load<f32>(multiplierAt + (<usize>c << 2));
    const b = load<f32>(biasAt + (<usize>c << 2));
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      const h0 = quantAt + <usize>r * rowBytes;
      const h1 = h0 + rowBytes;
      const h2 = h1 + rowBytes;
      const h3 = h2 + rowBytes;
      let a0 = i32x4.splat(0);
      let a1 = i32x4.splat(0);
      let a2 = i32x4.splat(0);
      let a3 = i32x4.splat(0);
      for (let k: usize = 0; k < rowBytes; k += 16) {
        const wk = v128.load(w + k);
        a0 = i32x4.add(a0, i32x4.dot_i16x8_s(v128.load(h0 + k), wk));
        a1 = i32x4.add(a1, i32x4.dot_i16x8_s(v128.load(h1 + k), wk));
        a2 = i32x4.add(a2, i32x4.dot_i16x8_s(v128.load(h2 + k), wk));
        a3 = i32x4.add(a3, i32x4.dot_i16x8_s(v128.load(h3 + k), wk));
      }
      const o = outAt + (<usize>(r * vocab + c) << 2);
      const stride = <usize>vocab << 2;
      // onnxruntime's output step: the sum as float, × multiplier, + bias, each rounded.
      store<f32>(o, <f32>sumI4(a0) * m + b);
      store<f32>(o + stride, <f32>sumI4(a1) * m + b);
      store<f32>(o + 2 * stride, <f32>sumI4(a2) * m + b);
      store<f32>(o + 3 * stride, <f32>sumI4(a3) * m + b);
    }
    for (; r < rows; r++) {
      const h = quantAt + <usize>r * rowBytes;
      let a = i32x4.splat(0);
      for (let k: usize = 0; k < rowBytes; k += 16) a = i32x4.add(a, i32x4.dot_i16x8_s(v128.load(h + k), v128.load(w + k)));
      store<f32>(outAt + (<usize>(r * vocab + c) << 2), <f32>sumI4(a) * m + b);
    }
  }
}
