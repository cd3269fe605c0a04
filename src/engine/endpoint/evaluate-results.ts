import type { BaselineResult, DecisionStats, SweepOptions } from '../../shared/domain/endpoint';
import { describeKnobs, sherpaDefaultPreset } from './endpoint-config';
import { defaultSweepOptions } from './sweep';
import { sweepResultLines, type DecodeResultLine } from './sweep-results-file';

/** The quality figures of `bench/results/endpoint.json` (issue 14), one data set's worth. */
export type EndpointQualityKey =
  | 'final_p50_ms'
  | 'final_p90_ms'
  | 'final_cutoff_rate'
  | 'final_nofire_rate'
  | 'speculative_p50_ms'
  | 'speculative_cutoff_rate'
  | 'speculative_nofire_rate'
  | 'spec_lead_p50_ms'
  | 'resets_per_utterance'
  | 'resets_per_speculative_fire'
  | 'recommended_qualifies'
  | 'sherpa_default_p50_ms'
  | 'sherpa_default_cutoff_rate'
  | 'sherpa_default_nofire_rate'
  | 'silero_pipecat_p50_ms'
  | 'silero_pipecat_cutoff_rate'
  | 'silero_pipecat_nofire_rate'
  | 'silero_livekit_p50_ms'
  | 'silero_livekit_cutoff_rate'
  | 'silero_livekit_nofire_rate'
  | 'p50_gain_vs_sherpa'
  | 'p50_gain_vs_silero'
  | 'utterances';

export type EndpointQualityMetrics = Partial<Record<EndpointQualityKey, number>>;

export const endpointQualityUnits: Record<EndpointQualityKey, string> = {
  final_p50_ms: 'ms',
  final_p90_ms: 'ms',
  final_cutoff_rate: 'ratio',
  final_nofire_rate: 'ratio',
  speculative_p50_ms: 'ms',
  speculative_cutoff_rate: 'ratio',
  speculative_nofire_rate: 'ratio',
  spec_lead_p50_ms: 'ms (final p50 − speculative p50)',
  resets_per_utterance: 'resets and revisions per utterance',
  resets_per_speculative_fire: 'resets and revisions per speculative fire',
  recommended_qualifies: '1 if the pair met every budget and the lead, else 0 (the nearest pair)',
  sherpa_default_p50_ms: 'ms',
  sherpa_default_cutoff_rate: 'ratio',
  sherpa_default_nofire_rate: 'ratio',
  silero_pipecat_p50_ms: 'ms',
  silero_pipecat_cutoff_rate: 'ratio',
  silero_pipecat_nofire_rate: 'ratio',
  silero_livekit_p50_ms: 'ms',
  silero_livekit_cutoff_rate: 'ratio',
  silero_livekit_nofire_rate: 'ratio',
  p50_gain_vs_sherpa: 'x (sherpa-onnx default p50 / final p50)',
  p50_gain_vs_silero: 'x (Silero VAD + 0.8 s silence, Pipecat default, p50 / final p50)',
  utterances: 'count',
};

/** The baseline with this detector's default profile, by its name's note. */
function baselineNamed(baselines: readonly BaselineResult[], note: string): DecisionStats | undefined {
  return baselines.find((b) => b.name.endsWith(`(${note})`))?.stats;
}

/**
 * Sweeps decode results (e.g. the synthetic test split) and reports the recommended pair
 * against sherpa-onnx's defaults and Silero VAD with LiveKit's and Pipecat's settings on the
 * same data. Every figure is always written when it can be computed at all: a pair that does
 * not qualify is reported as the nearest one, with `recommended_qualifies` 0.
 */
export async function evaluateOnResults(results: readonly DecodeResultLine[], options: SweepOptions = defaultSweepOptions): Promise<{ metrics: EndpointQualityMetrics; recommended: string }> {
  const sweep = await sweepResultLines(results, options);
  const metrics: EndpointQualityMetrics = { utterances: sweep.utterances };
  const rec = sweep.recommended;
  const knobs = (i: number): string => `${describeKnobs(sweep.points[i].knobs)} on ${sweep.points[i].knobs.nonSpeech} (eoq after ${sweep.points[i].knobs.eoqMinTrailingSilenceS} s)`;
  const recommended =
    rec === null
      ? 'none: no setting ever fired'
      : `${rec.qualifies ? 'qualifies' : `nearest, misses ${rec.shortfalls.join('; ')}`}: speculative ${knobs(rec.speculative)}; final ${knobs(rec.final)}`;
  const ms = (s: number | null | undefined): number | undefined => (s === null || s === undefined ? undefined : Math.round(s * 1000));
  const put = (key: EndpointQualityKey, value: number | undefined): void => {
    if (value !== undefined && Number.isFinite(value)) metrics[key] = value;
  };
  const putStats = (prefix: 'sherpa_default' | 'silero_pipecat' | 'silero_livekit', stats: DecisionStats | undefined): void => {
    put(`${prefix}_p50_ms`, ms(stats?.latencyP50S));
    put(`${prefix}_cutoff_rate`, stats?.cutoffRate);
    put(`${prefix}_nofire_rate`, stats?.noFireRate);
  };
  const sherpa = sweep.baselines.find((b) => b.name === sherpaDefaultPreset.name)?.stats;
  const pipecat = baselineNamed(sweep.baselines, 'Pipecat default');
  putStats('sherpa_default', sherpa);
  putStats('silero_pipecat', pipecat);
  putStats('silero_livekit', baselineNamed(sweep.baselines, 'LiveKit default'));
  if (sweep.recommended !== null) {
    const { speculative, final, leadP50S, resetsPerUtterance, resetsPerSpeculativeFire } = sweep.recommended.metrics;
    put('recommended_qualifies', sweep.recommended.qualifies ? 1 : 0);
    put('speculative_p50_ms', ms(speculative.latencyP50S));
    put('speculative_cutoff_rate', speculative.cutoffRate);
    put('speculative_nofire_rate', speculative.noFireRate);
    put('final_p50_ms', ms(final.latencyP50S));
    put('final_p90_ms', ms(final.latencyP90S));
    put('final_cutoff_rate', final.cutoffRate);
    put('final_nofire_rate', final.noFireRate);
    put('spec_lead_p50_ms', ms(leadP50S));
    put('resets_per_utterance', resetsPerUtterance);
    put('resets_per_speculative_fire', resetsPerSpeculativeFire);
    const gain = (base: DecisionStats | undefined): number | undefined =>
      base?.latencyP50S != null && final.latencyP50S !== null && final.latencyP50S > 0 ? base.latencyP50S / final.latencyP50S : undefined;
    put('p50_gain_vs_sherpa', gain(sherpa));
    put('p50_gain_vs_silero', gain(pipecat));
  }
  return { metrics, recommended };
}
