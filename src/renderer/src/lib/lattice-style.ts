import * as d3 from 'd3';

/** Arc posteriors are drawn in this many steps of colour and width: one canvas stroke per step. */
export const POSTERIOR_STEPS = 10;

export function posteriorStep(posterior: number): number {
  return Math.min(POSTERIOR_STEPS - 1, Math.max(0, Math.floor(posterior * POSTERIOR_STEPS)));
}

export function stepWidth(step: number): number {
  return 0.7 + (3.6 * (step + 0.5)) / POSTERIOR_STEPS;
}

/** From a faint grey (unlikely) to the accent (certain), through the theme's own colours. */
export function stepColor(step: number, faint: string, strong: string): string {
  return d3.interpolateRgb(faint, strong)((step + 0.5) / POSTERIOR_STEPS);
}

export function isEpsilon(word: string): boolean {
  return !word || word === '<eps>' || word === '!NULL';
}

/** Word and posterior, and the language model's log-probability once the cloud has rescored the lattice. */
export function arcLabel(word: string, posterior: number, lmScore?: number): string {
  return `${isEpsilon(word) ? 'ε' : word} ${posterior.toFixed(2)}${lmScore === undefined ? '' : ` lm ${lmScore.toFixed(1)}`}`;
}
