/**
 * OpenFst text format (`fstcompile --isymbols=words.txt --osymbols=words.txt`): one line per
 * arc `from to word word cost`, then the final state. Costs are tropical: −(acoustic + bias).
 */
import type { Lattice } from '../../shared/domain/decode';
import { NULL_WORD } from './lattice-recorder';

const EPSILON = '<eps>';

export function writeOpenFst(lattice: Lattice): string {
  const lines = lattice.arcs.map((a) => {
    const word = a.word === NULL_WORD ? EPSILON : a.word;
    return `${a.from}\t${a.to}\t${word}\t${word}\t${(-(a.acousticScore + a.biasScore)).toFixed(6)}`;
  });
  lines.push(String(lattice.end));
  return lines.join('\n') + '\n';
}

/** The symbol table for the words of a lattice: `<eps> 0`, then the words in first-seen order. */
export function writeOpenFstSymbols(lattice: Lattice): string {
  const words = [EPSILON, ...new Set(lattice.arcs.map((a) => a.word).filter((w) => w !== NULL_WORD))];
  return words.map((w, i) => `${w} ${i}`).join('\n') + '\n';
}
