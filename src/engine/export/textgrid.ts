import { FormatError } from './format-error';
import type { TimedLabel } from './word-timing';
import type { UtteranceTimeline } from './utterance-timeline';

/** Praat TextGrid: interval tiers (contiguous spans) and point tiers ("TextTier"). */
export interface IntervalTier {
  kind: 'interval';
  name: string;
  xmin: number;
  xmax: number;
  intervals: { xmin: number; xmax: number; text: string }[];
}

export interface PointTier {
  kind: 'point';
  name: string;
  xmin: number;
  xmax: number;
  points: { time: number; mark: string }[];
}

export interface TextGrid {
  xmin: number;
  xmax: number;
  tiers: (IntervalTier | PointTier)[];
}

/** Times on a microsecond grid: frame arithmetic leaves 0.27999999999999997 where 0.28 was meant. */
const snap = (x: number): number => Math.round(x * 1e6) / 1e6;

/** An interval tier over [xmin, xmax]: the labels, with empty intervals filling the gaps (Praat requires full cover). */
export function intervalTier(name: string, labels: readonly TimedLabel[], xmin: number, xmax: number): IntervalTier {
  const intervals: IntervalTier['intervals'] = [];
  let at = snap(xmin);
  for (const l of [...labels].sort((a, b) => a.startS - b.startS)) {
    const start = Math.max(at, snap(l.startS));
    const end = Math.min(snap(xmax), snap(l.endS));
    if (end <= start) continue; // zero-length or out of range: Praat cannot show it
    if (start > at) intervals.push({ xmin: at, xmax: start, text: '' });
    intervals.push({ xmin: start, xmax: end, text: l.label });
    at = end;
  }
  if (at < snap(xmax) || !intervals.length) intervals.push({ xmin: at, xmax: snap(xmax), text: '' });
  return { kind: 'interval', name, xmin: snap(xmin), xmax: snap(xmax), intervals };
}

const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
const n = (x: number) => String(x);

/** The long ("full") text format Praat writes by default. */
export function writeTextGrid(grid: TextGrid): string {
  const out = ['File type = "ooTextFile"', 'Object class = "TextGrid"', '', `xmin = ${n(grid.xmin)} `, `xmax = ${n(grid.xmax)} `, 'tiers? <exists> ', `size = ${grid.tiers.length} `, 'item []: '];
  grid.tiers.forEach((tier, i) => {
    out.push(`    item [${i + 1}]:`);
    out.push(`        class = ${q(tier.kind === 'interval' ? 'IntervalTier' : 'TextTier')} `, `        name = ${q(tier.name)} `);
    out.push(`        xmin = ${n(tier.xmin)} `, `        xmax = ${n(tier.xmax)} `);
    if (tier.kind === 'interval') {
      out.push(`        intervals: size = ${tier.intervals.length} `);
      tier.intervals.forEach((iv, j) => {
        out.push(`        intervals [${j + 1}]:`, `            xmin = ${n(iv.xmin)} `, `            xmax = ${n(iv.xmax)} `, `            text = ${q(iv.text)} `);
      });
    } else {
      out.push(`        points: size = ${tier.points.length} `);
      tier.points.forEach((p, j) => {
        out.push(`        points [${j + 1}]:`, `            number = ${n(p.time)} `, `            mark = ${q(p.mark)} `);
      });
    }
  });
  return out.join('\n') + '\n';
}

/**
 * Reads the long or the short text format: both are the same sequence of values, the long one
 * with labels around them, so the reader takes the values (strings, numbers, <exists>) in order.
 */
export function readTextGrid(text: string, file = 'TextGrid'): TextGrid {
  const values = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).match(
    /"(?:[^"]|"")*"|<exists>|<absent>|(?<![\w[])-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w\]])/g,
  ) ?? [];
  let i = 0;
  const next = (what: string): string => {
    if (i >= values.length) throw new FormatError(file, `ends before ${what}`);
    return values[i++];
  };
  const str = (what: string) => {
    const v = next(what);
    if (!v.startsWith('"')) throw new FormatError(file, `expected ${what} (a quoted string), found ${v}`);
    return v.slice(1, -1).replaceAll('""', '"');
  };
  const num = (what: string) => {
    const v = Number(next(what));
    if (!Number.isFinite(v)) throw new FormatError(file, `expected ${what} (a number)`);
    return v;
  };
  const count = (what: string) => {
    const v = num(what);
    if (!Number.isInteger(v) || v < 0 || v > values.length) throw new FormatError(file, `${what} ${v} is not a possible count`);
    return v;
  };
  if (str('the file type') !== 'ooTextFile' || str('the object class') !== 'TextGrid') throw new FormatError(file, 'is not a Praat TextGrid text file');
  const grid: TextGrid = { xmin: num('xmin'), xmax: num('xmax'), tiers: [] };
  if (next('<exists>') !== '<exists>') return grid;
  const size = count('the tier count');
  for (let t = 0; t < size; t++) {
    const cls = str('the tier class');
    const name = str('the tier name');
    const xmin = num('the tier xmin');
    const xmax = num('the tier xmax');
    const items = count('the item count');
    if (cls === 'IntervalTier') {
      const intervals = Array.from({ length: items }, () => ({ xmin: num('an interval xmin'), xmax: num('an interval xmax'), text: str('an interval text') }));
      grid.tiers.push({ kind: 'interval', name, xmin, xmax, intervals });
    } else if (cls === 'TextTier') {
      const points = Array.from({ length: items }, () => ({ time: num('a point time'), mark: str('a point mark') }));
      grid.tiers.push({ kind: 'point', name, xmin, xmax, points });
    } else {
      throw new FormatError(file, `tier "${name}" has unknown class "${cls}"`);
    }
  }
  return grid;
}

/** The TextGrid of one utterance: tiers "words", "tokens" and "endpoints" (points). */
export function textGridOf(timeline: UtteranceTimeline): TextGrid {
  const { startS: xmin, endS: xmax } = timeline;
  return {
    xmin,
    xmax,
    tiers: [
      intervalTier('words', timeline.words, xmin, xmax),
      intervalTier('tokens', timeline.tokens, xmin, xmax),
      { kind: 'point', name: 'endpoints', xmin, xmax, points: timeline.marks.map((m) => ({ time: m.timeS, mark: m.label })) },
    ],
  };
}
