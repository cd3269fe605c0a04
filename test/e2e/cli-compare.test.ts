/**
 * `earshot compare a.jsonl b.jsonl`: the A/B of two decode outputs, on the hand-checked
 * three-utterance case of test/unit/compare (golden numbers) and on two real decodes of the
 * demo; and the refusals when the outputs cannot be compared.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './harness';

const cli = join(root, 'bin', 'earshot.js');
const fixtures = join(root, 'test', 'fixtures', 'compare');
const work = mkdtempSync(join(tmpdir(), 'earshot-compare-'));
const env = { ...process.env, EARSHOT_MODEL: join(root, 'test', 'fixtures', 'tiny-model') };

function earshot(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env, cwd: work }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const a = join(fixtures, 'a.jsonl');
const b = join(fixtures, 'b.jsonl');

describe('earshot compare', () => {
  it('gives the golden figures of the hand-checked case as JSON', async () => {
    const { code, stdout } = await earshot(['compare', a, b, '--json', '--resamples', '1000', '--seed', '3']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as Record<string, unknown>;
    // 2 errors in 9 words against 3 in 9; every resample lies within ±50 points, and each extreme has chance 1/27.
    expect(result).toMatchObject({ utterances: 3, reference_words: 9, wer_a: 22.2222, wer_b: 33.3333, wer_diff: 11.1111, wer_diff_ci: [-50, 50], better: 1, worse: 1, same: 1, changed_utterances: 2, words_changed: 3, resamples: 1000, seed: 3 });
    // Final latencies A [0.3, 18 (a no-fire at the 20 s timeout)], B [−0.1 (a cut-off), 0.5] over the two with a reference end.
    expect(result.latency).toMatchObject({ with_reference: 2, p50_a_ms: 9150, p50_b_ms: 200, p50_diff_ms: -8950, cutoffs_a: 0, cutoffs_b: 1, no_fires_a: 1, no_fires_b: 0 });
    expect((result.per_utterance as Array<{ id: string; verdict: string }>).map((r) => [r.id, r.verdict])).toEqual([
      ['u1', 'worse'],
      ['u2', 'better'],
      ['u3', 'same'],
    ]);
  });

  it('prints a readable summary', async () => {
    const { code, stdout } = await earshot(['compare', a, b, '--resamples', '1000', '--seed', '3']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^compare: 3 utterances, 9 reference words; A a\.jsonl, B b\.jsonl$/m);
    expect(stdout).toMatch(/^WER A 22\.2 %, B 33\.3 %; B − A \+11\.1 points, 95 % CI \[−50\.0, \+50\.0\]; B worse in \d+\.\d % of 1000 paired resamples \(seed 3\)$/m);
    expect(stdout).toMatch(/^B better on 1, worse on 1, the same on 1; hypotheses differ on 2 \(3 words changed\)$/m);
    expect(stdout).toMatch(/^final end-pointer p50 latency A 9150 ms, B 200 ms; B − A −8950 ms, 95 % CI \[/m);
  });

  it('refuses outputs that do not cover the same utterances, naming them', async () => {
    const partial = join(work, 'partial.jsonl');
    writeFileSync(partial, readFileSync(b, 'utf8').trim().split('\n').slice(0, 2).join('\n') + '\n');
    const { code, stderr } = await earshot(['compare', a, partial]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot compare .*a\.jsonl with .*partial\.jsonl: the two outputs do not cover the same utterances: 1 only in a\.jsonl \("u3"\)/);
  });

  it('refuses utterances without a reference transcript', async () => {
    const strip = (file: string, name: string): string => {
      const out = join(work, name);
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      writeFileSync(out, lines.map((l) => JSON.stringify(l.id === 'u2' ? { ...l, text: undefined, reference: { text: null } } : l)).join('\n') + '\n');
      return out;
    };
    const { code, stderr } = await earshot(['compare', strip(a, 'a-noref.jsonl'), strip(b, 'b-noref.jsonl')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/1 utterance has no reference transcript \("u2"\): WER cannot be compared without one/);
  });

  it('refuses a bad --seed or --resamples, and a wrong number of files', async () => {
    expect((await earshot(['compare', a, b, '--seed', '1.5'])).stderr).toMatch(/--seed must be a whole number from 0 to 4294967295, not "1.5"/);
    expect((await earshot(['compare', a, b, '--resamples', '0'])).stderr).toMatch(/--resamples must be a whole number ≥ 1, not "0"/);
    expect((await earshot(['compare', a])).stderr).toMatch(/compare takes two results files, A and B/);
  });

  it('compares two real decodes of the demo (greedy against beam 4)', async () => {
    const greedy = join(work, 'greedy.jsonl');
    const beam = join(work, 'beam.jsonl');
    expect((await earshot(['decode', join(root, 'resources', 'demo'), '--out', greedy, '--beam', '1', '--workers', '1'])).code).toBe(0);
    expect((await earshot(['decode', join(root, 'resources', 'demo'), '--out', beam, '--beam', '4', '--workers', '1'])).code).toBe(0);
    const { code, stdout } = await earshot(['compare', greedy, beam, '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { utterances: number; reference_words: number; wer_diff: number; wer_diff_ci: [number, number]; resamples: number; seed: number };
    expect(result).toMatchObject({ utterances: 9, reference_words: 39, resamples: 10000, seed: 1 });
    expect(result.wer_diff_ci[0]).toBeLessThanOrEqual(result.wer_diff);
    expect(result.wer_diff_ci[1]).toBeGreaterThanOrEqual(result.wer_diff);
  });
});
