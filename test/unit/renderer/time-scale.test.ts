import { describe, expect, it } from 'vitest';
import { clampView, fitZoom, frameSpan, maxZoom, peaksPerSecondFor, timeToX, visibleSpan, xToTime, zoomAround, MAX_PEAK_BUCKETS, MAX_PX_PER_SEC } from '../../../src/renderer/src/lib/time-scale';

const view = { pxPerSec: 100, scrollS: 2, widthPx: 800 };

describe('the shared time scale', () => {
  it('maps a time to the same x in every view and back', () => {
    expect(timeToX(view, 3.5)).toBe(150);
    expect(xToTime(view, 150)).toBe(3.5);
    expect(visibleSpan(view)).toEqual({ startS: 2, endS: 10 });
  });

  it('never zooms out past fitting the recording, nor scrolls beyond it', () => {
    const clamped = clampView({ pxPerSec: 1, scrollS: 50, widthPx: 800 }, 20);
    expect(clamped.pxPerSec).toBe(fitZoom(20, 800));
    expect(clamped.scrollS).toBe(0);
    expect(clampView({ pxPerSec: 1e6, scrollS: 0, widthPx: 800 }, 20).pxPerSec).toBe(MAX_PX_PER_SEC);
  });

  it('zooms a 3-hour recording only as far as its timeline can keep up', () => {
    const limit = maxZoom(3 * 3600);
    expect(limit).toBeGreaterThan(100);
    expect(limit).toBeLessThan(MAX_PX_PER_SEC);
    expect(clampView({ pxPerSec: 1e6, scrollS: 0, widthPx: 800 }, 3 * 3600).pxPerSec).toBe(limit);
  });

  it('keeps the time under the pointer in place while zooming', () => {
    const zoomed = zoomAround(view, 2, 400, 60);
    expect(zoomed.pxPerSec).toBe(200);
    expect(xToTime(zoomed, 400)).toBeCloseTo(xToTime(view, 400), 9);
  });

  it('frames an utterance span across the track', () => {
    const framed = frameSpan(view, 10, 14, 60);
    const { startS, endS } = visibleSpan(framed);
    expect(startS).toBeLessThanOrEqual(10);
    expect(endS).toBeGreaterThanOrEqual(14);
    expect(endS - startS).toBeLessThan(4.2);
  });

  it('asks for peaks at twice the zoom, in powers of two, capped for a 3-hour file', () => {
    expect(peaksPerSecondFor(100, 5)).toBe(256);
    expect(peaksPerSecondFor(0.07, 3 * 3600)).toBe(1);
    const hours3 = peaksPerSecondFor(2000, 3 * 3600);
    expect(hours3 * 3 * 3600).toBeLessThanOrEqual(MAX_PEAK_BUCKETS);
  });
});
