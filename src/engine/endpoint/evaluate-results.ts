import type { SweepOptions } from '../../shared/domain/endpoint';
import { sherpaDefaultPreset } from './endpoint-config';
import { defaultSweepOptions } from './sweep';
import { sweepResultLines, type DecodeResultLine } from './sweep-results-file';

/** The quality metrics of issue 7's benchmark table (ms, rates). */
export type EndpointQualityMetrics = Partial<
  Record<
    | 'speculative_p50_ms'
    | 'speculative_cutoff_rate'
    | 'final_p50_ms'
    | 'final_p90_ms'
    | 'final_cutoff_rate'
    | 'sherpa_default_p50_ms'
    | 'sherpa_default_cutoff_rate'
    | 'p50_gain_vs_sherpa'
    | 'recommended_within_budget',
    number
  >
>;

export const endpointQualityUnits: Record<keyof EndpointQualityMetrics, string> = {
  speculative_p50_ms: 'ms',
  speculative_cutoff_rate: 'ratio',
  final_p50_ms: 'ms',
  final_p90_ms: 'ms',
  final_cutoff_rate: 'ratio',
  sherpa_default_p50_ms: 'ms',
  sherpa_default_cutoff_rate: 'ratio',
  p50_gain_vs_sherpa: 'x',
  recommended_within_budget: '1 if the final end-pointer met its cut-off budget, else 0',
};

/**
 * Sweeps decode results (e.g. the synthetic test split) and reports the recommended pair
 * against sherpa-onnx's defaults on the same data. A metric is left out when it cannot be
 * computed (no pair meets the budget, no reference ends).
 */
export async function evaluateOnResults(results: readonly DecodeResultLine[], options: SweepOptions = defaultSweepOptions): Promise<EndpointQualityMetrics> {
  const sweep = await sweepResultLines(results, options);
  const metrics: EndpointQualityMetrics = {};
  const ms = (s: number | null): number | undefined => (s === null ? undefined : Math.round(s * 1000));
  const put = (key: keyof EndpointQualityMetrics, value: number | undefined): void => {
    if (value !== undefined && Number.isFinite(value)) metrics[key] = value;
  };
  const sherpa = sweep.presets[sherpaDefaultPreset.name];
  put('sherpa_default_p50_ms', ms(sherpa.latencyP50S));
  put('sherpa_default_cutoff_rate', sherpa.cutoffRate);
  if (sweep.recommended !== null) {
    const { speculative, final } = sweep.recommended.metrics;
    put('recommended_within_budget', sweep.recommended.withinBudget ? 1 : 0);
    put('speculative_p50_ms', ms(speculative.latencyP50S));
    put('speculative_cutoff_rate', speculative.cutoffRate);
    put('final_p50_ms', ms(final.latencyP50S));
    put('final_p90_ms', ms(final.latencyP90S));
    put('final_cutoff_rate', final.cutoffRate);
    if (sherpa.latencyP50S !== null && final.latencyP50S !== null && final.latencyP50S > 0) {
      put('p50_gain_vs_sherpa', sherpa.latencyP50S / final.latencyP50S);
    }
  }
  return metrics;
}
