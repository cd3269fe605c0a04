/**
 * HTK Standard Lattice Format. Words sit on arcs (W=); `a=` is the acoustic log-prob, `l=`
 * the shallow-fusion bias (it plays the language model's part), `p=` the arc posterior
 * (the SRILM extension). Natural-log scores (HTK's default base). The frame shift travels in
 * a comment so a reader can give back frame indexes exactly.
 */
import type { Lattice, LatticeArc, LatticeNode } from '../../shared/domain/decode';
import { NULL_WORD } from './lattice-recorder';

const SLF_NULL = '!NULL';

export function writeSlf(lattice: Lattice, utterance = 'utterance'): string {
  const lines = [
    '# Earshot word lattice',
    `# frame_shift=${lattice.frameShiftS}`,
    'VERSION=1.0',
    `UTTERANCE=${utterance.replace(/\s+/g, '_')}`,
    'lmscale=1.0',
    `start=${lattice.start}`,
    `end=${lattice.end}`,
    `N=${lattice.nodes.length} L=${lattice.arcs.length}`,
  ];
  for (const n of lattice.nodes) lines.push(`I=${n.id} t=${n.timeS.toFixed(3)}`);
  lattice.arcs.forEach((a, j) => {
    const word = a.word === NULL_WORD ? SLF_NULL : a.word;
    lines.push(`J=${j} S=${a.from} E=${a.to} W=${word} a=${fmt(a.acousticScore)} l=${fmt(a.biasScore)} p=${fmt(a.posterior)}`);
  });
  return lines.join('\n') + '\n';
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(6) : String(x);
}

export class SlfFormatError extends Error {}

/** Parses SLF written by writeSlf (or any SLF with words on arcs). */
export function readSlf(text: string, defaultFrameShiftS = 0.04): Lattice {
  let frameShiftS = defaultFrameShiftS;
  let start = 0;
  let end = -1;
  const nodes: LatticeNode[] = [];
  const arcs: LatticeArc[] = [];
  text.split(/\r?\n/).forEach((line, lineNo) => {
    const shift = /^#\s*frame_shift=([\d.eE+-]+)/.exec(line);
    if (shift) frameShiftS = Number(shift[1]);
    if (line.startsWith('#') || line.trim() === '') return;
    const f = fields(line);
    if ('I' in f) {
      const timeS = Number(f.t ?? 0);
      nodes[Number(f.I)] = { id: Number(f.I), frame: Math.round(timeS / frameShiftS), timeS };
    } else if ('J' in f) {
      if (!('S' in f) || !('E' in f)) throw new SlfFormatError(`line ${lineNo + 1}: arc without S= or E=`);
      arcs[Number(f.J)] = {
        from: Number(f.S),
        to: Number(f.E),
        word: f.W === undefined || f.W === SLF_NULL ? NULL_WORD : f.W,
        startFrame: 0,
        endFrame: 0,
        acousticScore: Number(f.a ?? 0),
        biasScore: Number(f.l ?? 0),
        posterior: Number(f.p ?? 0),
      };
    } else {
      if ('start' in f) start = Number(f.start);
      if ('end' in f) end = Number(f.end);
    }
  });
  for (const a of arcs) {
    if (!nodes[a.from] || !nodes[a.to]) throw new SlfFormatError(`arc ${a.from}→${a.to} names a node that is not defined`);
    a.startFrame = nodes[a.from].frame;
    a.endFrame = nodes[a.to].frame;
  }
  // Without an end= line, the end is the node no arc leaves (HTK's convention).
  if (end < 0) end = nodes.findIndex((n) => n && !arcs.some((a) => a.from === n.id));
  return { frameShiftS, nodes, arcs, start, end };
}

function fields(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const token of line.trim().split(/\s+/)) {
    const eq = token.indexOf('=');
    if (eq > 0) out[token.slice(0, eq)] = token.slice(eq + 1);
  }
  return out;
}
