import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root } from './harness';

const run = promisify(execFile);
const cli = join(root, 'bin', 'earshot.js');
const fixtures = join(root, 'test', 'fixtures', 'lm');
const decoded = join(fixtures, 'decode-lines.jsonl');
const smallLm = join(fixtures, 'cloud-lm-small');
const out = mkdtempSync(join(tmpdir(), 'earshot-rescore-'));

const rows = (file: string): Record<string, unknown>[] => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

async function fails(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, [cli, 'rescore', ...args]);
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
  throw new Error(`earshot rescore ${args.join(' ')} succeeded`);
}

describe('earshot rescore', () => {
  it('rescores decode lines with the cloud model, keeping the first pass and printing WER before and after', async () => {
    const file = join(out, 'rescored.jsonl');
    const { stderr } = await run(process.execPath, [cli, 'rescore', decoded, '--lm', smallLm, '--out', file, '--lm-weight', '0.5', '--insertion-penalty=-0.5']);
    expect(stderr).toMatch(/3 utterances with cloud-lm-small \(neural\), --lm-weight 0\.5 --insertion-penalty -0\.5/);
    expect(stderr).toMatch(/^WER first pass \d+\.\d % → rescored \d+\.\d % \(3 utterances, 20 reference words\)/m);
    expect(stderr).toMatch(/ms per utterance/);
    const input = rows(decoded);
    const output = rows(file);
    expect(output).toHaveLength(3);
    output.forEach((o, i) => {
      expect(o.first_pass_hyp).toBe(input[i].hyp);
      expect(o.nbest).toEqual(input[i].nbest);
      expect(o.rescore).toMatchObject({ lm: 'cloud-lm-small', lm_kind: 'neural', lm_weight: 0.5, insertion_penalty: -0.5 });
    });
    // The golden rescoring (test/unit/lm/rescore.test.ts) with the same weights.
    expect(output.map((o) => o.hyp)).toEqual(rows(join(root, 'test', 'fixtures', 'formats', 'rescored.jsonl')).map((o) => o.hyp));
  });

  it('rescores the lattice every `earshot decode` line carries, writing LM scores on its arcs', async () => {
    const decodedDemo = join(out, 'demo.jsonl');
    await run(process.execPath, [cli, 'decode', join(root, 'resources', 'demo'), '--out', decodedDemo, '--workers', '1']);
    const lines = rows(decodedDemo);
    for (const line of lines) expect((line.lattice as { arcs: unknown[] }).arcs).toHaveLength(line.lattice_arcs as number);
    const file = join(out, 'demo.rescored.jsonl');
    await run(process.execPath, [cli, 'rescore', decodedDemo, '--lm', smallLm, '--out', file]);
    const arcs = rows(file).flatMap((o) => (o.lattice as { arcs: { word: string; lmScore?: number }[] }).arcs);
    const scored = arcs.filter((a) => a.word !== '' && typeof a.lmScore === 'number');
    expect(scored.length).toBeGreaterThan(0);
    for (const a of scored) expect(a.lmScore).toBeLessThan(0);
  });

  it('tunes weight and penalty on a dev decode and says what it chose', async () => {
    const { stderr } = await run(process.execPath, [cli, 'rescore', decoded, '--lm', smallLm, '--out', join(out, 'tuned.jsonl'), '--tune', decoded]);
    expect(stderr).toMatch(/tuned on .*decode-lines\.jsonl \(3 utterances, 81 settings\): --lm-weight [\d.]+ --insertion-penalty -?[\d.]+, dev WER [\d.]+ % → [\d.]+ %/);
  });

  it('reads ARPA n-gram models too', async () => {
    const { stderr } = await run(process.execPath, [cli, 'rescore', decoded, '--lm', join(fixtures, 'tiny.arpa'), '--out', join(out, 'arpa.jsonl')]);
    expect(stderr).toMatch(/with tiny\.arpa \(arpa\)/);
    expect(rows(join(out, 'arpa.jsonl'))[0].rescore).toMatchObject({ lm_kind: 'arpa' });
  });

  it('replaces its own output but refuses any other file, leaving it as it was', async () => {
    const file = join(out, 'again.jsonl');
    await run(process.execPath, [cli, 'rescore', decoded, '--lm', smallLm, '--out', file]);
    await run(process.execPath, [cli, 'rescore', decoded, '--lm', smallLm, '--out', file]);
    const notes = join(out, 'notes.jsonl');
    writeFileSync(notes, '{"my":"notes"}\n');
    const refused = await fails([decoded, '--lm', smallLm, '--out', notes]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--out .*notes\.jsonl exists and is not an `earshot rescore` output; choose another output file \(nothing was written\)/);
    expect(readFileSync(notes, 'utf8')).toBe('{"my":"notes"}\n');
    expect((await fails([decoded, '--lm', smallLm, '--out', decoded])).stderr).toMatch(/is one of this run's inputs/);
  });

  it('refuses bad input with a message naming the problem', async () => {
    const session = join(out, 'session.earshot.json');
    writeFileSync(session, '{"format":"earshot-session"}\n');
    expect((await fails([session, '--lm', smallLm, '--out', join(out, 'x.jsonl')])).stderr).toMatch(/is a session, not decode results/);
    const manifest = join(out, 'manifest.jsonl');
    writeFileSync(manifest, '{"audio":"a.wav","text":"hello"}\n');
    expect((await fails([manifest, '--lm', smallLm, '--out', join(out, 'x.jsonl')])).stderr).toMatch(/manifest\.jsonl:1: not an `earshot decode` line \(it needs "hyp" and "nbest"\)/);
    expect((await fails([decoded, '--lm', join(root, 'test', 'fixtures', 'tiny-model'), '--out', join(out, 'x.jsonl')])).stderr).toMatch(/is not a language model folder \(it has no lm\.json/);
    expect((await fails([decoded, '--lm', smallLm, '--out', join(out, 'x.jsonl'), '--lm-weight=-1'])).stderr).toMatch(/--lm-weight must be a number from 0 to 10, not "-1"/);
    expect((await fails([decoded, '--lm', smallLm, '--out', join(out, 'x.jsonl'), '--tune', decoded, '--lm-weight', '1'])).stderr).toMatch(/give either --tune or the weights/);
  });
});
