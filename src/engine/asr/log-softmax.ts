/** Log-softmax helpers over rows of a logits matrix (rows × width, row-major). */

export function logSumExpRow(logits: Float32Array, offset: number, width: number): number {
  let max = -Infinity;
  for (let i = offset; i < offset + width; i++) if (logits[i] > max) max = logits[i];
  let sum = 0;
  for (let i = offset; i < offset + width; i++) sum += Math.exp(logits[i] - max);
  return max + Math.log(sum);
}

export function argmaxRow(logits: Float32Array, offset: number, width: number): number {
  let best = 0;
  for (let i = 1; i < width; i++) if (logits[offset + i] > logits[offset + best]) best = i;
  return best;
}

/** In-place log-softmax of every row. */
export function logSoftmaxRows(logits: Float32Array, rows: number, width: number): void {
  for (let r = 0; r < rows; r++) {
    const off = r * width;
    const lse = logSumExpRow(logits, off, width);
    for (let i = off; i < off + width; i++) logits[i] -= lse;
  }
}

export function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const hi = Math.max(a, b);
  return hi + Math.log1p(Math.exp(-Math.abs(a - b)));
}
