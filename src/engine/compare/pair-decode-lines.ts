import type { ComparisonInput } from '../../shared/domain/compare';

/** What `earshot compare` reads of an `earshot decode` line. */
export interface ComparableLine {
  id?: string;
  audio?: string;
  text?: string;
  hyp?: string;
  error?: string;
  reference?: { text?: string | null; speechEndS?: number | null };
  endpoints?: { final_s?: number | null; reference_end_s?: number | null };
}

/** Why two results files cannot be compared, in the researcher's words. */
export class PairingError extends Error {}

const listed = (ids: string[]): string => `${ids.slice(0, 5).map((id) => `"${id}"`).join(', ')}${ids.length > 5 ? ` and ${ids.length - 5} more` : ''}`;

function keyed(lines: readonly ComparableLine[], name: string): Map<string, ComparableLine> {
  const byId = new Map<string, ComparableLine>();
  lines.forEach((line, i) => {
    const id = line.id ?? line.audio;
    if (!id) throw new PairingError(`${name} line ${i + 1} has neither "id" nor "audio": is it an \`earshot decode\` output?`);
    if (byId.has(id)) throw new PairingError(`${name} holds utterance "${id}" twice`);
    byId.set(id, line);
  });
  return byId;
}

const referenceText = (line: ComparableLine): string | null => line.reference?.text ?? line.text ?? null;

/**
 * Pairs the lines of two decode outputs by utterance id (the audio path where a line has none),
 * in A's order. Refuses outputs that do not cover the same utterances, the same audio and the
 * same references, lines that failed to decode, and utterances without a reference transcript:
 * a WER difference over different or unscored utterances would mean nothing.
 */
export function pairDecodeLines(a: readonly ComparableLine[], b: readonly ComparableLine[], names: { a: string; b: string }): ComparisonInput[] {
  const left = keyed(a, names.a);
  const right = keyed(b, names.b);
  const onlyA = [...left.keys()].filter((id) => !right.has(id));
  const onlyB = [...right.keys()].filter((id) => !left.has(id));
  if (onlyA.length || onlyB.length) {
    const parts = [onlyA.length ? `${onlyA.length} only in ${names.a} (${listed(onlyA)})` : '', onlyB.length ? `${onlyB.length} only in ${names.b} (${listed(onlyB)})` : ''].filter(Boolean);
    throw new PairingError(`the two outputs do not cover the same utterances: ${parts.join('; ')}`);
  }
  if (left.size === 0) throw new PairingError(`${names.a} holds no utterances`);
  const failed = [...left].flatMap(([id, l]) => (l.error ? [`${id} in ${names.a}`] : [])).concat([...right].flatMap(([id, l]) => (l.error ? [`${id} in ${names.b}`] : [])));
  if (failed.length) throw new PairingError(`${failed.length} utterance${failed.length === 1 ? '' : 's'} failed to decode (${failed.slice(0, 5).join(', ')}): re-run those decodes first`);
  const unreferenced = [...left].filter(([, l]) => !referenceText(l)?.trim()).map(([id]) => id);
  if (unreferenced.length) throw new PairingError(`${unreferenced.length} utterance${unreferenced.length === 1 ? ' has' : 's have'} no reference transcript (${listed(unreferenced)}): WER cannot be compared without one`);
  return [...left].map(([id, la]) => {
    const lb = right.get(id) as ComparableLine;
    if (la.audio && lb.audio && la.audio !== lb.audio) throw new PairingError(`utterance "${id}" is ${la.audio} in ${names.a} but ${lb.audio} in ${names.b}`);
    if (referenceText(la) !== referenceText(lb)) throw new PairingError(`utterance "${id}" has different references in the two outputs`);
    const speechEndS = la.endpoints?.reference_end_s ?? la.reference?.speechEndS ?? null;
    return {
      id,
      reference: { text: referenceText(la), speechEndS },
      a: { hyp: la.hyp ?? '', finalS: la.endpoints?.final_s ?? null },
      b: { hyp: lb.hyp ?? '', finalS: lb.endpoints?.final_s ?? null },
    };
  });
}
