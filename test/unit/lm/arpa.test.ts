import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OOV_LOG10, arpaSentenceScores, parseArpa } from '../../../src/engine/lm/arpa';
import { loadLanguageModel } from '../../../src/engine/lm/load-language-model';

const fixture = join(__dirname, '..', '..', 'fixtures', 'lm', 'tiny.arpa');
const model = parseArpa(readFileSync(fixture, 'utf8'), 'tiny.arpa');
const log10 = (words: string[]): number[] => arpaSentenceScores(model, words).map((s) => s / Math.LN10);

describe('ARPA back-off n-gram models', () => {
  it('reads the counts and every n-gram of the file', () => {
    expect(model.order).toBe(3);
    expect(model.grams.size).toBe(10);
    expect(model.grams.get('<s> the')).toEqual([-0.30103, -0.25]);
  });

  it('scores listed n-grams directly, the end of the sentence included', () => {
    // P(the|<s>) -0.30103, P(cat|<s> the) -0.1 (the trigram), P(sat|the cat): no trigram, back-off of "the cat"
    // -0.15 + bigram "cat sat" -0.4; P(</s>|cat sat): no trigram, "cat sat" has no back-off (0) + bigram -0.2.
    const s = log10(['the', 'cat', 'sat']);
    [-0.30103, -0.1, -0.55, -0.2].forEach((want, i) => expect(s[i]).toBeCloseTo(want, 6));
  });

  it('backs off through every order, adding the back-off weights of the histories that are listed', () => {
    // P(the|<s> the): bo(<s> the) -0.25 + bo(the) -0.3 + P(the) -0.69897 = -1.24897;
    // P(cat|the the): "the the" is not listed (no weight) → bigram "the cat" -0.5;
    // P(</s>|the cat): bo(the cat) -0.15 + bo(cat) -0.2 + P(</s>) -1.0 = -1.35.
    const s = log10(['the', 'the', 'cat']);
    [-0.30103, -1.24897, -0.5, -1.35].forEach((want, i) => expect(s[i]).toBeCloseTo(want, 6));
    expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(-3.4, 6);
  });

  it('gives a word outside the vocabulary the documented floor when the model has no <unk>', () => {
    // P(dog|<s>) = OOV floor; P(</s>|dog): nothing listed after "dog" → unigram </s> -1.0.
    const s = log10(['dog']);
    expect(s[0]).toBe(OOV_LOG10);
    expect(s[1]).toBeCloseTo(-1.0, 6);
  });

  it('returns natural logs through the LanguageModel interface', async () => {
    const lm = loadLanguageModel(fixture);
    expect(lm.kind).toBe('arpa');
    const [scores] = await lm.scoreWords([['the', 'cat', 'sat']]);
    expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(-1.15103 * Math.LN10, 5);
  });

  it('refuses a file that is not ARPA, or whose sections disagree with \\data\\, naming the problem', () => {
    expect(() => parseArpa('hello\n', 'x.arpa')).toThrow(/x\.arpa is not an ARPA language model/);
    expect(() => parseArpa('\\data\\\nngram 1=2\n\n\\1-grams:\n-1\ta\n\n\\end\\\n', 'y.arpa')).toThrow(/promises 2 1-grams, the section holds 1/);
    expect(() => parseArpa('\\data\\\nngram 1=1\n\n\\1-grams:\nabc\ta\n\n\\end\\\n', 'z.arpa')).toThrow(/z\.arpa:5: "abc" is not a log-probability/);
  });
});
