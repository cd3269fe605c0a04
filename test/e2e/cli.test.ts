import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SweepResult } from '../../src/shared/domain/endpoint';
import { root } from './harness';

const run = promisify(execFile);
const cli = join(root, 'bin', 'earshot.js');
const tinyModel = join(root, 'test', 'fixtures', 'tiny-model');
const demo = join(root, 'resources', 'demo');
const out = mkdtempSync(join(tmpdir(), 'earshot-cli-'));
const env = { ...process.env, EARSHOT_MODEL: tinyModel };

function lines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('the earshot command line', () => {
  it('decodes a manifest into one line per input, with end-pointer decisions and traces', async () => {
    const results = join(out, 'results.jsonl');
    const { stderr } = await run(process.execPath, [cli, 'decode', join(demo, 'manifest.jsonl'), '--out', results, '--beam', '2'], { env });
    expect(stderr).toMatch(/results\.jsonl: 9 of 9 utterances/);
    expect(stderr).toMatch(/^WER \d+\.\d %/m);
    expect(stderr).toMatch(/^oracle WER: n-best \d+\.\d %, lattice \d+\.\d %/m);
    expect(stderr).toMatch(/^lattices: \d+\.\d arcs\/s; gzipped SLF against 16-bit PCM p50 \d+\.\d\d %, p90 \d+\.\d\d %; against Opus at 24 kbit\/s \(nominal bitrate × duration\) p90/m);
    const rows = lines(results);
    expect(rows).toHaveLength(9);
    for (const row of rows) {
      expect(row).toHaveProperty('hyp');
      expect(row).toHaveProperty('nbest');
      expect(row).toHaveProperty('tokens');
      expect(row.lattice_bytes).toBeGreaterThan(0);
      expect(row.audio_bytes).toBeGreaterThan(0);
      expect(row.run).toMatchObject({ beam: 2, lattice_beam: 8 });
      expect(row.lattice_arcs_per_s).toBeCloseTo((row.lattice_arcs as number) / (row.duration_s as number), 3);
      const bandwidth = row.bandwidth as Record<string, number>;
      expect(bandwidth.lattice_slf_bytes).toBe(row.lattice_bytes);
      expect(bandwidth.lattice_gz_bytes).toBeGreaterThan(0);
      expect(bandwidth.pcm16_bytes).toBe(row.audio_bytes);
      expect(bandwidth.opus24k_bytes).toBe(Math.round(3000 * (row.duration_s as number)));
      const oracle = row.oracle as { words: number; nbest_errors: number; lattice_errors: number };
      expect(oracle.words).toBe((row.text as string).split(' ').length);
      expect(oracle.lattice_errors).toBeLessThanOrEqual(oracle.nbest_errors);
      expect(row.duration_s).toBeGreaterThan(1);
      expect(row).toHaveProperty('decode_s');
      expect(row.endpoints).toMatchObject({ reference_source: 'labels' });
    }
    const timer = rows.find((r) => r.id === 'timer-pause') as { text: string; endpoints: { reference_end_s: number } };
    expect(timer.text).toBe('set a timer for twenty minutes');
    expect(timer.endpoints.reference_end_s).toBe(3.425);
  });

  it('sweeps end-pointers over the decoded traces without decoding again', async () => {
    const sweep = join(out, 'sweep.json');
    await run(process.execPath, [cli, 'sweep', join(out, 'results.jsonl'), '--out', sweep], { env });
    const result = JSON.parse(readFileSync(sweep, 'utf8')) as SweepResult;
    expect(result.utterances).toBe(9);
    // Blanks and Silero VAD as silence evidence: the decode carried VAD tracks.
    expect(result.points).toHaveLength(500);
    expect(result.paretoFront.length).toBeGreaterThan(0);
    expect(result.definitions).toEqual({ cutoffToleranceS: 0, noFireAt: 'timeout', timeoutS: 20 });
    const names = result.baselines.map((b) => b.name);
    expect(names).toEqual(expect.arrayContaining(['sherpa-onnx default', 'Kaldi default']));
    expect(names.some((n) => n.endsWith('(Pipecat default)'))).toBe(true);
    expect(new Set(result.baselines.map((b) => b.family))).toEqual(new Set(['silero', 'webrtc', 'energy', 'rules']));
  });

  it("decides the final end-of-query rule at the model's own threshold, and sweeps each file as it was decided", async () => {
    // The tiny model's graphs with two thresholds in model.json: its head's probabilities lie between 0.05 and
    // 0.62, so at 0.3 the rule fires wherever 0.16 s pass without a token, at 0.99 never (then only 0.8 s of
    // trailing silence ends an utterance).
    const decodeAt = async (threshold: number): Promise<{ rows: Record<string, unknown>[]; figures?: string; swept?: string }> => {
      const folder = join(out, `model-eoq-${threshold}`);
      cpSync(tinyModel, folder, { recursive: true });
      const meta = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as { eoq: Record<string, unknown> };
      writeFileSync(join(folder, 'model.json'), JSON.stringify({ ...meta, eoq: { ...meta.eoq, default_threshold: threshold } }));
      const results = join(out, `eoq-${threshold}.jsonl`);
      const decoded = await run(process.execPath, [cli, 'decode', join(demo, 'manifest.jsonl'), '--out', results, '--beam', '2', '--model', folder], { env });
      const swept = await run(process.execPath, [cli, 'sweep', results, '--out', join(out, `eoq-${threshold}-sweep.json`)], { env });
      const figures = (text: string): string | undefined => /end-pointers over .*/.exec(text)?.[0];
      return { rows: lines(results), figures: figures(decoded.stderr), swept: figures(swept.stderr) };
    };
    const eager = await decodeAt(0.3);
    const patient = await decodeAt(0.99);
    for (const row of eager.rows) expect(row.run).toMatchObject({ eoq_threshold: 0.3 });
    for (const row of patient.rows) expect(row.run).toMatchObject({ eoq_threshold: 0.99 });
    const finalOf = (rows: Record<string, unknown>[]): Map<unknown, number> => new Map(rows.map((r) => [r.id, (r.endpoints as { final_s: number | null }).final_s ?? Infinity]));
    const soon = finalOf(eager.rows);
    const late = finalOf(patient.rows);
    for (const [id, at] of soon) expect(at, String(id)).toBeLessThanOrEqual(late.get(id) as number);
    expect([...soon].filter(([id, at]) => at < (late.get(id) as number)).length).toBeGreaterThan(0);
    // Each sweep summarises its file with the end-pointers the decode used (the traces of both are the same).
    expect(eager.figures).not.toBe(patient.figures);
    expect(eager.swept).toBe(eager.figures);
    expect(patient.swept).toBe(patient.figures);
  });

  it('stops cleanly on Ctrl-C with exit code 130, keeping whole lines only', async () => {
    const results = join(out, 'interrupted.jsonl');
    const child = spawn(process.execPath, [cli, 'decode', join(demo, 'manifest.jsonl'), '--out', results, '--workers', '1', '--beam', '16'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let interrupted = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!interrupted && stderr.includes('decode: 1/9')) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted/);
    expect(stderr).not.toMatch(/terminate called|Napi::Error/);
    expect(readFileSync(results, 'utf8').endsWith('\n')).toBe(true);
    const kept = lines(results);
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBeLessThan(9);
  });

  it('analyses a folder into a session and exports it to every format', async () => {
    const session = join(out, 'session.json');
    await run(process.execPath, [cli, 'analyze', join(demo, 'manifest.jsonl'), '--out', session], { env });
    expect(JSON.parse(readFileSync(session, 'utf8'))).toMatchObject({ format: 'earshot-session' });
    for (const format of ['textgrid', 'audacity', 'ctm', 'csv', 'slf', 'nemo', 'bundle']) {
      await run(process.execPath, [cli, 'export', session, '--format', format, '--out', join(out, format)], { env });
      expect(readdirSync(join(out, format)).length).toBeGreaterThan(0);
    }
  });

  it('names the problem with a broken model or a bad argument', async () => {
    await expect(run(process.execPath, [cli, 'decode', demo, '--out', join(out, 'x.jsonl'), '--model', out], { env })).rejects.toMatchObject({ stderr: expect.stringMatching(/earshot: .*(encoder|model)/) });
    await expect(run(process.execPath, [cli, 'decode', demo, '--out', join(out, 'x.jsonl'), '--beam', 'zero'], { env })).rejects.toMatchObject({ stderr: expect.stringMatching(/--beam must be a whole number/) });
    await expect(run(process.execPath, [cli, 'decode', demo, '--out', join(out, 'x.jsonl'), '--max-symbols', '0'], { env })).rejects.toMatchObject({ stderr: expect.stringMatching(/--max-symbols must be a whole number ≥ 1/) });
    await expect(run(process.execPath, [cli, 'decode', demo, '--out', join(out, 'x.jsonl'), '--boost=-1'], { env })).rejects.toMatchObject({ stderr: expect.stringMatching(/--boost must be a number from 0 to 20, not "-1"/) });
    await expect(run(process.execPath, [cli, 'decode', demo, '--out', join(out, 'x.jsonl'), '--tail-padding', '3'], { env })).rejects.toMatchObject({ stderr: expect.stringMatching(/--tail-padding must be a number from 0 to 2, not "3"/) });
    await expect(run(process.execPath, [cli, 'export', join(out, 'session.json'), '--format', 'docx', '--out', out], { env })).rejects.toMatchObject({ stderr: expect.stringMatching(/unknown format "docx"/) });
  });
});
