/**
 * The one time scale that every time-aligned view shares: zoom (px per second) and scroll
 * (the file time at the left edge of the tracks), over a track of `widthPx` pixels.
 * Pure functions, so the views and the tests agree on where a time is drawn.
 */
export interface TimeView {
  pxPerSec: number;
  /** File time (s) at the left edge of the tracks. */
  scrollS: number;
  widthPx: number;
}

/** The most a researcher can zoom in: 2,000 px/s puts a 10 ms feature frame 20 px wide. */
export const MAX_PX_PER_SEC = 2000;

/**
 * Past this many pixels for the whole recording, wavesurfer's timeline plugin (which lays a
 * notch over the whole file on every redraw) takes seconds per zoom step. A 3-hour file
 * therefore zooms to about 130 px/s: 40 ms encoder frames still 5 px wide.
 */
const MAX_TOTAL_WIDTH_PX = 1_400_000;

/** The zoom limit for a recording of this length. */
export function maxZoom(durationS: number): number {
  return Math.min(MAX_PX_PER_SEC, MAX_TOTAL_WIDTH_PX / Math.max(durationS, 1e-3));
}

/** Below this, a track gets so narrow that nothing is readable; layout before first measure. */
const MIN_WIDTH_PX = 50;

export function timeToX(view: TimeView, timeS: number): number {
  return (timeS - view.scrollS) * view.pxPerSec;
}

export function xToTime(view: TimeView, x: number): number {
  return view.scrollS + x / view.pxPerSec;
}

export function visibleSpan(view: TimeView): { startS: number; endS: number } {
  return { startS: view.scrollS, endS: view.scrollS + view.widthPx / view.pxPerSec };
}

/** The zoom at which `durationS` exactly fills the track: the least zoom allowed. */
export function fitZoom(durationS: number, widthPx: number): number {
  return Math.max(widthPx, MIN_WIDTH_PX) / Math.max(durationS, 1e-3);
}

/** Keeps zoom between fit and the recording's zoom limit, and the scroll inside the recording. */
export function clampView(view: TimeView, durationS: number): TimeView {
  const pxPerSec = Math.min(Math.max(maxZoom(durationS), fitZoom(durationS, view.widthPx)), Math.max(fitZoom(durationS, view.widthPx), view.pxPerSec));
  const maxScroll = Math.max(0, durationS - view.widthPx / pxPerSec);
  return { widthPx: view.widthPx, pxPerSec, scrollS: Math.min(maxScroll, Math.max(0, view.scrollS)) };
}

/** Zooms by `factor` keeping the time under `anchorX` (px from the left edge) where it is. */
export function zoomAround(view: TimeView, factor: number, anchorX: number, durationS: number): TimeView {
  const anchorS = xToTime(view, anchorX);
  const zoomed = clampView({ ...view, pxPerSec: view.pxPerSec * factor }, durationS);
  return clampView({ ...zoomed, scrollS: anchorS - anchorX / zoomed.pxPerSec }, durationS);
}

/** Shows `[startS, endS]` across the whole track (with a small margin either side). */
export function frameSpan(view: TimeView, startS: number, endS: number, durationS: number): TimeView {
  const span = Math.max(endS - startS, 0.05);
  const margin = span * 0.02;
  return clampView({ widthPx: view.widthPx, pxPerSec: view.widthPx / (span + 2 * margin), scrollS: startS - margin }, durationS);
}

/** Most peak values one request may bring back: keeps a 3-hour file's payload near 8 MB of JSON. */
export const MAX_PEAK_BUCKETS = 1_000_000;

/**
 * Peaks per second worth asking for at a zoom: two buckets per pixel, rounded up to a power
 * of two so that small zoom steps hit the engine's cache, and capped so that a long file
 * stays light (past the cap, a zoomed-in waveform gets coarser rather than slower).
 */
export function peaksPerSecondFor(pxPerSec: number, durationS: number): number {
  const wanted = 2 ** Math.ceil(Math.log2(Math.max(1, pxPerSec * 2)));
  const cap = Math.max(1, Math.floor(MAX_PEAK_BUCKETS / Math.max(durationS, 1)));
  return Math.max(1, Math.min(wanted, cap, 8000));
}

/** A readable step (s) between time ticks so that labels are at least `minPx` apart. */
export function tickStep(pxPerSec: number, minPx = 80): number {
  const steps = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
  return steps.find((s) => s * pxPerSec >= minPx) ?? 7200;
}
