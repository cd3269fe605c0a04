import { describe, expect, it } from 'vitest';
import { configFromKnobs } from '../../../src/engine/endpoint/endpoint-config';
import { firstEndpointFrame } from '../../../src/engine/endpoint/decide-endpoint';
import { evaluateConfig } from '../../../src/engine/endpoint/metrics';
import {
  defaultSweepOptions,
  fireFrames,
  gridKnobs,
  paretoFront,
  prepareUtterance,
  recommendPair,
  runSweep,
  sweepGrid,
} from '../../../src/engine/endpoint/sweep';
import { defaultSyntheticOptions, syntheticCorpus } from '../../../src/engine/endpoint/synthetic-stream';
import type { SweepOptions, SweepPoint } from '../../../src/shared/domain/endpoint';

const corpus = syntheticCorpus(80, 7);

/** A grid point with only latency and cut-off set, for the front and recommendation rules. */
const point = (latencyP50S: number | null, cutoffRate: number): SweepPoint => ({
  knobs: defaultSweepOptions.grid.base,
  latencyP50S,
  latencyP90S: latencyP50S,
  latencyP99S: latencyP50S,
  cutoffRate,
  noFireRate: 0,
  falseFireRate: 0,
  meanWordsLost: 0,
});

describe('threshold sweeps from cached traces', () => {
  const variants: Array<[string, SweepOptions, typeof corpus]> = [
    ['blank silence with an end-of-query head', defaultSweepOptions, corpus],
    ['energy silence', { ...defaultSweepOptions, grid: { ...defaultSweepOptions.grid, base: { ...defaultSweepOptions.grid.base, nonSpeech: 'energy' } } }, corpus],
    [
      'blank-and-energy silence, 3 end-of-query frames, no head, 8-frame chunks',
      { ...defaultSweepOptions, grid: { ...defaultSweepOptions.grid, base: { ...defaultSweepOptions.grid.base, nonSpeech: 'blank-and-energy', eoqFrames: 3, maxUtteranceS: 3 } } },
      syntheticCorpus(40, 99, { ...defaultSyntheticOptions, withEoq: false, chunkFrames: 8 }),
    ],
  ];
  for (const [name, options, utterances] of variants) {
    it(`the fast scan fires on the same frame as the decision rule (${name})`, () => {
      const knobs = gridKnobs(options);
      const frames = new Int32Array(knobs.length);
      for (const u of utterances) {
        fireFrames(prepareUtterance(u, options.grid.base), options, frames);
        knobs.forEach((k, p) => expect(frames[p], `${u.stream.id} ${JSON.stringify(k)}`).toBe(firstEndpointFrame(u.stream.trace, configFromKnobs(k)) ?? -1));
      }
    });
  }

  it('grid points agree with evaluating each configuration on its own', () => {
    const { points } = sweepGrid(corpus);
    for (const p of [0, 17, 55, 99]) {
      const stats = evaluateConfig(corpus, configFromKnobs(points[p].knobs));
      expect(points[p].latencyP50S).toBeCloseTo(stats.latencyP50S!, 9);
      expect(points[p].latencyP90S).toBeCloseTo(stats.latencyP90S!, 9);
      expect(points[p].cutoffRate).toBe(stats.cutoffRate);
      expect(points[p].noFireRate).toBe(stats.noFireRate);
      expect(points[p].meanWordsLost * 80).toBeCloseTo(stats.wordsLost, 9);
    }
  });

  it('the Pareto front holds exactly the points no other point beats on both latency and cut-off', () => {
    const { points, paretoFront: front } = sweepGrid(corpus);
    const dominated = (a: SweepPoint): boolean =>
      points.some((b) => b.latencyP50S! <= a.latencyP50S! && b.cutoffRate <= a.cutoffRate && (b.latencyP50S! < a.latencyP50S! || b.cutoffRate < a.cutoffRate));
    for (const i of front) expect(dominated(points[i])).toBe(false);
    const frontSet = new Set(front);
    // Every point off the front is dominated or ties a front point.
    points.forEach((p, i) => {
      if (!frontSet.has(i)) expect(dominated(p) || front.some((j) => points[j].latencyP50S === p.latencyP50S && points[j].cutoffRate === p.cutoffRate)).toBe(true);
    });
    const latencies = front.map((i) => points[i].latencyP50S!);
    expect(latencies).toEqual([...latencies].sort((a, b) => a - b));
  });

  it('keeps the latency/cut-off front and recommends the fastest final within its budget and a speculative one about 200 ms earlier within its own', () => {
    const points = [point(0.1, 0.2), point(0.2, 0.04), point(0.25, 0.03), point(0.42, 0.008), point(0.5, 0.002), point(0.3, 0.06)];
    expect(paretoFront(points)).toEqual([0, 1, 2, 3, 4]);
    expect(recommendPair(points, defaultSweepOptions)).toEqual({ speculative: 1, final: 3, withinBudget: true });
  });

  it('still recommends the setting with the fewest cut-offs when none meets the budget, and says so', () => {
    expect(recommendPair([point(0.4, 0.5), point(0.9, 0.05), point(0.7, 0.2)], defaultSweepOptions)).toEqual({ speculative: 1, final: 1, withinBudget: false });
    expect(recommendPair([point(null, 0)], defaultSweepOptions)).toBeNull();
  });

  it('reports progress, recommends a pair with its dual metrics, and compares with the presets', async () => {
    const progress: number[] = [];
    const result = await runSweep(syntheticCorpus(450, 3), defaultSweepOptions, { onProgress: (done) => progress.push(done) });
    expect(progress).toEqual([200, 400, 450]);
    expect(result.points).toHaveLength(100);
    expect(result.recommended).not.toBeNull();
    const { metrics, speculative, final } = result.recommended!;
    expect(result.points[final].cutoffRate).toBeLessThanOrEqual(0.01);
    expect(result.points[speculative].latencyP50S!).toBeLessThanOrEqual(result.points[final].latencyP50S!);
    expect(metrics.final.cutoffRate).toBeLessThanOrEqual(0.01);
    expect(metrics.speculative.latencyP50S!).toBeLessThan(metrics.final.latencyP50S!);
    expect(Object.keys(result.presets)).toEqual(['sherpa-onnx default', 'Kaldi default']);
    expect(result.presets['sherpa-onnx default'].latencyP50S!).toBeGreaterThan(metrics.final.latencyP50S!);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('can be cancelled with an AbortSignal', async () => {
    const controller = new AbortController();
    const sweep = runSweep(syntheticCorpus(600, 3), defaultSweepOptions, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(sweep).rejects.toThrow(/abort/i);
  });
});
