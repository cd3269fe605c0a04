/**
 * The sidebar's filter language, a pure parser over the sidebar's rows.
 *
 *   wer>30            comparisons on numeric columns: wer (in %), latency and dur (in s, or with ms)
 *   latency<=300ms    operators > >= < <= = !=
 *   cut  nofire       the final end-pointer cut the speech off / never fired
 *   paris  "set a"    text search over the id, the reference and the hypothesis
 *   id:librivox       text search in one field (id, ref, hyp)
 *   -cut  not cut     negation
 *   wer>30 cut        terms side by side must all hold; `or` between groups offers alternatives
 */
import type { UtteranceRow } from './utterance-rows';

export type RowTest = (row: UtteranceRow) => boolean;
export type ParsedFilter = { ok: true; test: RowTest } | { ok: false; error: string };

type Op = '>' | '>=' | '<' | '<=' | '=' | '!=';

interface NumericColumn {
  read: (row: UtteranceRow) => number | null;
  /** How the researcher writes the number: WER in per cent, times in seconds. */
  unit: 'percent' | 'seconds';
}

const NUMERIC: Record<string, NumericColumn> = {
  wer: { read: (r) => (r.wer === null ? null : r.wer * 100), unit: 'percent' },
  latency: { read: (r) => r.latencyS, unit: 'seconds' },
  spec: { read: (r) => r.specLatencyS, unit: 'seconds' },
  dur: { read: (r) => r.durationS, unit: 'seconds' },
};
const ALIASES: Record<string, string> = { duration: 'dur', lat: 'latency', speculative: 'spec' };
const TEXT_FIELDS: Record<string, (row: UtteranceRow) => string> = { id: (r) => r.id, ref: (r) => r.text, hyp: (r) => r.hyp };
const FLAGS: Record<string, RowTest> = {
  cut: (r) => r.cutOff === true,
  nofire: (r) => r.fired === false,
  fired: (r) => r.fired === true,
  errors: (r) => (r.wer ?? 0) > 0,
};

const COMPARISON = /^([a-z]+)\s*(>=|<=|!=|>|<|=)\s*(.*)$/;

const compare = (op: Op, a: number, b: number): boolean =>
  op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : op === '<=' ? a <= b : op === '=' ? Math.abs(a - b) < 1e-9 : Math.abs(a - b) >= 1e-9;

/** Splits on spaces, keeping "quoted phrases" whole, and glues `wer > 30` back into one term. */
function tokens(text: string): string[] | string {
  const parts: string[] = [];
  const pattern = /"([^"]*)"?|(\S+)/g;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m[1] !== undefined) {
      if (!m[0].endsWith('"') || m[0].length === 1) return 'a quoted phrase is not closed: add the closing "';
      parts.push(`"${m[1]}"`);
    } else parts.push(m[2]);
  }
  const joined: string[] = [];
  for (const part of parts) {
    const last = joined[joined.length - 1];
    if (last !== undefined && (/^(>=|<=|!=|>|<|=)/.test(part) || /(>=|<=|!=|>|<|=)$/.test(last)) && !last.startsWith('"')) joined[joined.length - 1] = last + part;
    else joined.push(part);
  }
  return joined;
}

function numberFor(column: string, spec: NumericColumn, raw: string): number | string {
  const m = /^(-?\d+(?:\.\d+)?|-?\.\d+)\s*(%|ms|s)?$/.exec(raw);
  if (!m) return raw ? `"${column}" needs a number, not "${raw}"` : `"${column}" needs a number after the comparison`;
  const value = Number(m[1]);
  const unit = m[2];
  if (spec.unit === 'percent') return unit === 'ms' || unit === 's' ? `"${column}" is a percentage: write ${column}>${value}` : value;
  if (unit === '%') return `"${column}" is in seconds: write ${column}<${value}s or ${column}<${value * 1000}ms`;
  return unit === 'ms' ? value / 1000 : value;
}

function contains(haystack: string, needle: string): boolean {
  return haystack.toLowerCase().includes(needle);
}

function term(raw: string): RowTest | string {
  const negated = raw.startsWith('-') && raw.length > 1;
  const text = negated ? raw.slice(1) : raw;
  const inner = atom(text);
  if (typeof inner === 'string') return inner;
  return negated ? (r) => !inner(r) : inner;
}

function atom(text: string): RowTest | string {
  if (text.startsWith('"')) {
    const phrase = text.slice(1, -1).toLowerCase();
    return (r) => contains(r.id, phrase) || contains(r.text, phrase) || contains(r.hyp, phrase);
  }
  const lower = text.toLowerCase();
  const comparison = COMPARISON.exec(lower);
  if (comparison) {
    const name = ALIASES[comparison[1]] ?? comparison[1];
    const spec = NUMERIC[name];
    if (!spec) return `there is no numeric column "${comparison[1]}": compare ${Object.keys(NUMERIC).join(', ')}`;
    const value = numberFor(comparison[1], spec, comparison[3].trim());
    if (typeof value === 'string') return value;
    const op = comparison[2] as Op;
    // Rows not analysed yet have no number: no comparison holds for them.
    return (r) => {
      const v = spec.read(r);
      return v !== null && compare(op, v, value);
    };
  }
  const field = /^([a-z]+):(.*)$/.exec(lower);
  if (field && TEXT_FIELDS[field[1]]) {
    const read = TEXT_FIELDS[field[1]];
    const needle = field[2].replace(/^"|"$/g, '');
    if (!needle) return `"${field[1]}:" needs text to look for`;
    return (r) => contains(read(r), needle);
  }
  const flag = FLAGS[lower];
  if (flag) return flag;
  if (/[<>=]/.test(lower)) return `"${text}" is not a comparison: write a column, an operator and a number, like wer>30`;
  return (r) => contains(r.id, lower) || contains(r.text, lower) || contains(r.hyp, lower);
}

/** Parses the filter; an empty one keeps every row. */
export function parseFilter(text: string): ParsedFilter {
  const split = tokens(text.trim());
  if (typeof split === 'string') return { ok: false, error: split };
  const groups: RowTest[][] = [[]];
  let negateNext = false;
  for (const [i, word] of split.entries()) {
    const lower = word.toLowerCase();
    if (lower === 'or' || lower === '|') {
      if (negateNext || groups[groups.length - 1].length === 0 || i === split.length - 1) return { ok: false, error: '"or" needs a term on both sides' };
      groups.push([]);
      continue;
    }
    if (lower === 'and' || lower === '&') continue;
    if (lower === 'not') {
      negateNext = true;
      continue;
    }
    const test = term(word);
    if (typeof test === 'string') return { ok: false, error: test };
    groups[groups.length - 1].push(negateNext ? (r) => !test(r) : test);
    negateNext = false;
  }
  if (negateNext) return { ok: false, error: '"not" needs a term after it' };
  return { ok: true, test: (r) => groups.some((group) => group.every((t) => t(r))) };
}
