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
  withReference: 100,
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
    ['energy silence', { ...defaultSweepOptions, grid: { ...defaultSweepOptions.grid, nonSpeech: ['energy'] } }, corpus],
    [
      'blank-and-energy silence, 3 end-of-query frames, no head, 8-frame chunks',
      { ...defaultSweepOptions, grid: { ...defaultSweepOptions.grid, nonSpeech: ['blank-and-energy'], base: { ...defaultSweepOptions.grid.base, eoqFrames: 3, maxUtteranceS: 3 } } },
      syntheticCorpus(40, 99, { ...defaultSyntheticOptions, withEoq: false, chunkFrames: 8 }),
    ],
  ];
  for (const [name, options, utterances] of variants) {
    it(`the fast scan fires on the same frame as the decision rule (${name})`, () => {
      const knobs = gridKnobs(options);
      const frames = new Int32Array(knobs.length);
      for (const u of utterances) {
        let offset = 0;
        for (const nonSpeech of options.grid.nonSpeech) offset = fireFrames(prepareUtterance(u, { ...options.grid.base, nonSpeech }), options, frames, offset);
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

  it('keeps the latency/cut-off front, and recommends the fastest final within its budgets with a speculative one at least 150 ms ahead within its own', () => {
    const points = [point(0.1, 0.2), point(0.2, 0.04), point(0.25, 0.03), point(0.42, 0.008), point(0.5, 0.002), point(0.3, 0.06)];
    expect(paretoFront(points)).toEqual([0, 1, 2, 3, 4]);
    // 0.42 s is the fastest final within 1 %; 0.2 s (4 %) is the fastest speculative within 5 % and ≥ 150 ms ahead.
    expect(recommendPair(points, defaultSweepOptions)).toEqual({ speculative: 1, final: 3, qualifies: true, shortfalls: [] });
    // A larger lead moves the final later until a partner fits.
    expect(recommendPair(points, { ...defaultSweepOptions, speculativeLeadS: 0.25 })).toEqual({ speculative: 1, final: 4, qualifies: true, shortfalls: [] });
  });

  it('never recommends a setting that does not fire: a no-fire rate over budget disqualifies it', () => {
    const silent = { ...point(0.28, 0), noFireRate: 1 };
    const points = [point(0.1, 0.03), silent, point(0.6, 0.005)];
    expect(recommendPair(points, defaultSweepOptions)).toEqual({ speculative: 0, final: 2, qualifies: true, shortfalls: [] });
  });

  it('when no pair qualifies, gives the nearest and says what it misses', () => {
    const choice = recommendPair([point(0.4, 0.5), point(0.9, 0.05), point(0.7, 0.2)], defaultSweepOptions)!;
    expect(choice.qualifies).toBe(false);
    expect(choice.final).toBe(1);
    expect(choice.shortfalls).toContain('final cut-off 5.0 % > 1.0 %');
    expect(recommendPair([point(null, 0)], defaultSweepOptions)).toBeNull();
  });

  it('reports progress, recommends a pair with its dual metrics, and compares with every baseline', async () => {
    const progress: number[] = [];
    const result = await runSweep(syntheticCorpus(450, 3), defaultSweepOptions, { onProgress: (done) => progress.push(done) });
    expect(progress).toEqual([200, 400, 450]);
    // Two non-speech sources (blanks, Silero VAD) × (1 + 6 × 4) end-of-query settings × 10 silences.
    expect(result.points).toHaveLength(500);
    expect(result.recommended).not.toBeNull();
    const { metrics, speculative, final, qualifies } = result.recommended!;
    expect(qualifies).toBe(true);
    expect(result.points[final].cutoffRate).toBeLessThanOrEqual(0.01);
    expect(result.points[final].noFireRate).toBeLessThanOrEqual(0.01);
    expect(result.points[final].latencyP50S! - result.points[speculative].latencyP50S!).toBeGreaterThanOrEqual(0.15 - 1e-9);
    expect(metrics.final.cutoffRate).toBeLessThanOrEqual(0.01);
    expect(metrics.leadP50S!).toBeGreaterThan(0);
    expect(metrics.resetsPerUtterance).toBeCloseTo(metrics.resets / 450);
    const families = new Set(result.baselines.map((b) => b.family));
    expect([...families].sort()).toEqual(['energy', 'rules', 'silero', 'webrtc']);
    const names = result.baselines.filter((b) => b.isDefault).map((b) => b.name);
    expect(names.some((n) => n.includes('LiveKit default'))).toBe(true);
    expect(names.some((n) => n.includes('Pipecat default'))).toBe(true);
    expect(names).toContain('sherpa-onnx default');
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('can be cancelled with an AbortSignal', async () => {
    const controller = new AbortController();
    const sweep = runSweep(syntheticCorpus(600, 3), defaultSweepOptions, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(sweep).rejects.toThrow(/abort/i);
  });
});
