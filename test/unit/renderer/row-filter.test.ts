import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../../src/renderer/src/lib/row-filter';
import type { UtteranceRow } from '../../../src/renderer/src/lib/utterance-rows';

const row = (id: string, wer: number | null, latencyS: number | null, extra: Partial<UtteranceRow> = {}): UtteranceRow => ({
  id,
  durationS: 3,
  text: 'call anna mitchell',
  hyp: 'call anna mitche',
  wer,
  oracleWer: null,
  nbestOracleWer: null,
  latencyS,
  specLatencyS: latencyS === null ? null : latencyS - 0.1,
  cutOff: latencyS === null ? null : latencyS < 0,
  fired: latencyS === null ? null : true,
  ...extra,
});
const rows = [
  row('librivox_sentence_0001', 0.45, 0.25),
  row('librivox_sentence_0002', 0.2, 0.5, { text: 'set a timer', hyp: 'set a time' }),
  row('timer-pause', 0, -0.86),
  row('weather-paris', 0.35, 1.2, { fired: false, durationS: 8.5 }),
  row('not-analysed', null, null),
];
const ids = (filter: string): string[] => {
  const parsed = parseFilter(filter);
  if (!parsed.ok) throw new Error(parsed.error);
  return rows.filter(parsed.test).map((r) => r.id);
};
const error = (filter: string): string => {
  const parsed = parseFilter(filter);
  return parsed.ok ? '' : parsed.error;
};

describe('the sidebar filter language', () => {
  it('keeps every row when empty', () => {
    expect(ids('  ')).toHaveLength(5);
  });

  it('compares WER in per cent, whatever the threshold', () => {
    expect(ids('wer>30')).toEqual(['librivox_sentence_0001', 'weather-paris']);
    expect(ids('wer<50')).toEqual(['librivox_sentence_0001', 'librivox_sentence_0002', 'timer-pause', 'weather-paris']);
    expect(ids('wer = 0')).toEqual(['timer-pause']);
    expect(ids('wer>=20%')).toEqual(['librivox_sentence_0001', 'librivox_sentence_0002', 'weather-paris']);
  });

  it('compares latencies in seconds or milliseconds, and durations', () => {
    expect(ids('latency>0.3')).toEqual(['librivox_sentence_0002', 'weather-paris']);
    expect(ids('latency<0.3')).toEqual(['librivox_sentence_0001', 'timer-pause']);
    expect(ids('latency <= 250ms')).toEqual(['librivox_sentence_0001', 'timer-pause']);
    expect(ids('spec>1')).toEqual(['weather-paris']);
    expect(ids('dur>5')).toEqual(['weather-paris']);
  });

  it('knows the end-pointer flags cut and nofire', () => {
    expect(ids('cut')).toEqual(['timer-pause']);
    expect(ids('nofire')).toEqual(['weather-paris']);
  });

  it('searches ids and transcripts, in one field with a prefix, and quoted phrases whole', () => {
    expect(ids('timer')).toEqual(['librivox_sentence_0002', 'timer-pause']);
    expect(ids('id:timer')).toEqual(['timer-pause']);
    expect(ids('hyp:time')).toEqual(['librivox_sentence_0002']);
    expect(ids('"set a timer"')).toEqual(['librivox_sentence_0002']);
  });

  it('combines terms: side by side all must hold, `or` offers alternatives, `-` and `not` negate', () => {
    expect(ids('librivox wer>30')).toEqual(['librivox_sentence_0001']);
    expect(ids('cut or nofire')).toEqual(['timer-pause', 'weather-paris']);
    expect(ids('librivox -0001')).toEqual(['librivox_sentence_0002']);
    expect(ids('wer<50 not cut')).toEqual(['librivox_sentence_0001', 'librivox_sentence_0002', 'weather-paris']);
    expect(ids('wer>40 or latency<0 or nofire')).toEqual(['librivox_sentence_0001', 'timer-pause', 'weather-paris']);
  });

  it('says why a filter is invalid', () => {
    expect(error('snr>10')).toBe('there is no numeric column "snr": compare wer, latency, spec, dur');
    expect(error('wer>abc')).toBe('"wer" needs a number, not "abc"');
    expect(error('wer>')).toBe('"wer" needs a number after the comparison');
    expect(error('latency>3%')).toMatch(/in seconds/);
    expect(error('wer>0.3s')).toMatch(/percentage/);
    expect(error('cut or')).toBe('"or" needs a term on both sides');
    expect(error('"set a')).toMatch(/not closed/);
    expect(error('=>3')).toMatch(/not a comparison/);
  });
});
