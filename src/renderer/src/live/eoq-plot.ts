/** Geometry of the live panel's end-of-query plot: pure, so a test can check what is drawn. */

export interface PlotBox {
  width: number;
  height: number;
  /** Room for the axis labels. */
  left: number;
  bottom: number;
}

/** The time span shown: the utterance so far, at least `minS` so that the first chunks do not fill the plot. */
export function plotSpanS(timeS: number, minS = 2): number {
  return Math.max(minS, Math.ceil(timeS));
}

export const xOf = (timeS: number, spanS: number, box: PlotBox): number => box.left + (timeS / spanS) * (box.width - box.left);
export const yOf = (p: number, box: PlotBox): number => (1 - p) * (box.height - box.bottom);

/** The SVG path of P(end of query) per frame, each at its frame's start time; '' when there are none. */
export function eoqPath(eoq: readonly number[], frameShiftS: number, spanS: number, box: PlotBox): string {
  return eoq.map((p, i) => `${i === 0 ? 'M' : 'L'}${xOf(i * frameShiftS, spanS, box).toFixed(1)},${yOf(p, box).toFixed(1)}`).join('');
}

/** Whole seconds on the time axis. */
export function secondTicks(spanS: number): number[] {
  return Array.from({ length: Math.floor(spanS) + 1 }, (_, i) => i);
}
