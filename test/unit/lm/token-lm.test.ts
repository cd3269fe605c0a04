/**
 * The token LM beam search fuses (engine/lm/token-lm.ts) answers as its ARPA file says, and the ARPA file
 * training/lm/token_ngram.py writes is a proper interpolated model. The fixture is that script's output on
 * 300 sentences of the shared text (order 4, histories seen at least 3 times), rebuilt here when numpy is
 * there.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TokenTable } from '../../../src/engine/asr/tokens';
import { arpaLog10, parseArpa } from '../../../src/engine/lm/arpa';
import { loadTokenLm } from '../../../src/engine/lm/load-token-lm';
import { readTokenArpa } from '../../../src/engine/lm/token-arpa';
import { TokenLm } from '../../../src/engine/lm/token-lm';
import { python, pythonMissing } from '../training/debian-python';

const root = join(__dirname, '..', '..', '..');
const dir = join(root, 'test', 'fixtures', 'lm', 'token-lm');
const arpaPath = join(dir, 'tokens-4gram.arpa');
const tokens = TokenTable.parse(readFileSync(join(root, 'resources', 'models', 'earshot-rnnt', 'tokens.txt'), 'utf8'));
const lm = loadTokenLm(arpaPath, tokens);
const arpa = parseArpa(readFileSync(arpaPath, 'utf8'));

/** Token ids of a text as the recogniser spells it (▁ between words). */
const spell = (text: string): number[] => tokens.encode(text) ?? [];
const sentences = readFileSync(join(dir, 'sentences.txt'), 'utf8').split('\n').filter(Boolean);
/** Seen sentences, and strings the model has barely seen, so both listed and backed-off n-grams are asked for. */
const probes = [...sentences.slice(0, 20), 'xq zzv jjk', "o'er the qat", 'the the the', 'zebra quizzed the vexed jockey'];

function statesAlong(ids: readonly number[]): number[] {
  const states = [lm.start];
  for (const id of ids) states.push(lm.advance(states[states.length - 1], id));
  return states;
}

describe('token LM', () => {
  it("gives every token the log-probability ARPA's back-off rule gives, after any history", () => {
    let checked = 0;
    for (const text of probes) {
      const ids = spell(text);
      const states = statesAlong(ids);
      for (let i = 0; i < ids.length; i++) {
        const history = ['<s>', ...ids.slice(0, i).map((id) => tokens.symbol(id))].slice(-(arpa.order - 1));
        for (let v = 1; v < tokens.size; v++) {
          expect(lm.logProb(states[i], v)).toBeCloseTo(arpaLog10(arpa, history, tokens.symbol(v)) * Math.LN10, 4);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('is a proper distribution after every history: the tokens and the end of the sentence sum to one', () => {
    for (const text of probes) {
      const ids = spell(text);
      statesAlong(ids).forEach((state, i) => {
        const history = ['<s>', ...ids.slice(0, i).map((id) => tokens.symbol(id))].slice(-(arpa.order - 1));
        const row = lm.row(state);
        let mass = 10 ** arpaLog10(arpa, history, '</s>');
        for (let v = 1; v < tokens.size; v++) mass += Math.exp(row[v]);
        // the file keeps 4 decimals of each log10: a relative error of about 1e-4 a probability
        expect(mass).toBeCloseTo(1, 3);
      });
    }
  });

  it('prefers the spelling of the text it learned', () => {
    const score = (text: string): number => {
      const ids = spell(text);
      return statesAlong(ids)
        .slice(0, -1)
        .reduce((sum, state, i) => sum + lm.logProb(state, ids[i]), 0);
    };
    expect(score('he said that he was going')).toBeGreaterThan(score('he sed that he waz going') + 5);
  });

  it('remembers a move once made, and a state is the same however it was reached', () => {
    const a = statesAlong(spell('said the'));
    const b = statesAlong(spell('and the'));
    expect(lm.advance(a[2], spell('t')[0])).toBe(lm.advance(a[2], spell('t')[0]));
    // Both end in "▁the" and no longer history matters beyond the order: the same state.
    expect(a[a.length - 1]).toBe(b[b.length - 1]);
  });

  it('refuses files it cannot use, saying why', () => {
    expect(() => readTokenArpa('ngram 1=1\n', 'x.arpa', tokens)).toThrow(/x\.arpa is not an ARPA language model/);
    const noStart = '\\data\\\nngram 1=2\nngram 2=1\n\n\\1-grams:\n-0.3\ta\t-0.1\n-0.3\tb\t-0.1\n\n\\2-grams:\n-0.1\ta b\n\n\\end\\\n';
    expect(() => new TokenLm(readTokenArpa(noStart, 'n.arpa', tokens), tokens.size)).toThrow(/does not list <s>/);
    const short = '\\data\\\nngram 1=2\n\n\\1-grams:\n-0.3\ta\n\n\\end\\\n';
    expect(() => readTokenArpa(short, 's.arpa', tokens)).toThrow(/promises 2 1-grams, the section holds 1/);
    const wide = new TokenTable(Array.from({ length: 5000 }, (_, i) => `t${i}`));
    expect(() => readTokenArpa('\\data\\\nngram 1=0\nngram 2=0\nngram 3=0\nngram 4=0\nngram 5=0\n\n', 'w.arpa', wide)).toThrow(/a 5-gram over 5000 tokens is too long/);
  });
});

const missing = pythonMissing('import numpy', 'numpy', 'the rebuild of the token LM fixture');

describe.skipIf(missing !== null)('training/lm/token_ngram.py', () => {
  it('rebuilds the fixture byte for byte from its sentences', () => {
    const out = mkdtempSync(join(tmpdir(), 'token-lm-'));
    try {
      const args = ['--text', join(dir, 'sentences.txt'), '--commands', '0', '--order', '4', '--min-count', '3', '--dev-sentences', '0', '--out', join(out, 'lm.arpa')];
      execFileSync(python, [join(root, 'training', 'lm', 'token_ngram.py'), ...args], { stdio: 'pipe' });
      expect(readFileSync(join(out, 'lm.arpa'), 'utf8')).toBe(readFileSync(arpaPath, 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
