/**
 * deploy/decode-shard.sh as the schedulers run it, with the real CLI (`earshot` on PATH, the
 * tiny test model) on the demo recordings: Slurm array tasks and the Kubernetes decode job's
 * own command, each followed by `earshot merge`, equal one unsharded run field for field
 * (all but the decode time).
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { root } from './harness';

const script = join(root, 'deploy', 'decode-shard.sh');
const demo = join(root, 'resources', 'demo');
const work = mkdtempSync(join(tmpdir(), 'earshot-deploy-'));
const bin = join(work, 'bin');
mkdirSync(bin);
symlinkSync(join(root, 'bin', 'earshot.js'), join(bin, 'earshot'));
const env = { ...process.env, PATH: [bin, process.env.PATH].join(delimiter), EARSHOT_MODEL: join(root, 'test', 'fixtures', 'tiny-model') };
const noScheduler = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('SLURM_') && k !== 'JOB_COMPLETION_INDEX'));

interface Run {
  code: number | null;
  stderr: string;
}

function run(file: string, args: string[], extra: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...noScheduler, ...extra }, cwd: work }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr });
    });
  });
}

type Line = { id: string; decode_s: number } & Record<string, unknown>;
const lines = (file: string): Line[] => readFileSync(file, 'utf8').trim().split('\n').map((l) => ({ ...(JSON.parse(l) as Line), decode_s: 0 }));
/** A run's lines by id: a single run writes them as workers finish, a merge in the data set's order. */
const byId = (list: Line[]): Line[] => [...list].sort((a, b) => a.id.localeCompare(b.id));

let single: Promise<Line[]> | undefined;
/** One unsharded run over the demo recordings, the reference every merge must equal. */
function singleRun(): Promise<Line[]> {
  single ??= run('earshot', ['decode', demo, '--out', join(work, 'single.jsonl')]).then((r) => {
    expect(r.code).toBe(0);
    return lines(join(work, 'single.jsonl'));
  });
  return single;
}

async function mergeEqualsSingle(parts: string, pattern: RegExp): Promise<void> {
  const files = readdirSync(parts).filter((f) => pattern.test(f)).map((f) => join(parts, f));
  const merged = join(parts, 'results.jsonl');
  const m = await run('earshot', ['merge', ...files, '--out', merged, '--input', demo]);
  expect(m.stderr).toMatch(/^merge: 9 utterances from \d file\(s\)/);
  expect(m.code).toBe(0);
  expect(byId(lines(merged))).toEqual(byId(await singleRun()));
}

describe('deploy/decode-shard.sh under Slurm', () => {
  it('decodes SLURM_ARRAY_TASK_ID of SLURM_ARRAY_TASK_COUNT into part-i-of-n, and two parts merge into one run', async () => {
    const out = join(work, 'slurm');
    for (const id of ['0', '1']) {
      const task = await run(script, [demo, out], { SLURM_ARRAY_TASK_ID: id, SLURM_ARRAY_TASK_COUNT: '2', SLURM_ARRAY_TASK_MIN: '0' });
      expect(task.stderr).toMatch(new RegExp(`shard ${id}/2 of .*part-${id}-of-2\\.jsonl`));
      expect(task.code).toBe(0);
    }
    expect(readdirSync(out).sort()).toEqual(['part-0-of-2.jsonl', 'part-1-of-2.jsonl']);
    await mergeEqualsSingle(out, /^part-/);
  });

  it('counts from the array’s first task (--array=1-3), passes decode options through and uses the task’s CPUs', async () => {
    const out = join(work, 'slurm-one-based');
    for (const id of ['1', '2', '3']) {
      const task = await run(script, ['--shards', '3', demo, out, '--beam', '4'], { SLURM_ARRAY_TASK_ID: id, SLURM_ARRAY_TASK_MIN: '1', SLURM_CPUS_PER_TASK: '512' });
      expect(task.code).toBe(0);
      // --workers follows SLURM_CPUS_PER_TASK (512 here, so decode says it caps it at the cores).
      expect(task.stderr).toMatch(/--workers 512 is more than this machine's \d+ cores/);
    }
    await mergeEqualsSingle(out, /^part-\d-of-3\.jsonl$/);
  });

  it('resumes a requeued task instead of decoding its shard again', async () => {
    const out = join(work, 'slurm');
    const again = await run(script, [demo, out], { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '2' });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/resuming .*part-0-of-2\.jsonl: (\d+) of \1 utterances are already there/);
  });

  it('with --analyze writes sessions, part-i-of-n.json, that merge into the session one run writes', async () => {
    const out = join(work, 'slurm-analyze');
    for (const id of ['0', '1']) expect((await run(script, ['--analyze', demo, out], { SLURM_ARRAY_TASK_ID: id, SLURM_ARRAY_TASK_COUNT: '2' })).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['part-0-of-2.json', 'part-1-of-2.json']);
    const merged = join(out, 'session.json');
    expect((await run('earshot', ['merge', join(out, 'part-0-of-2.json'), join(out, 'part-1-of-2.json'), '--out', merged, '--input', demo])).code).toBe(0);
    expect((await run('earshot', ['analyze', demo, '--out', join(work, 'single-session.json')])).code).toBe(0);
    type Session = { utterances: Array<{ id: string; result: { decode: { hyp: string; nbest: unknown } } }> };
    const decodes = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as Session).utterances.map((u) => [u.id, u.result.decode.hyp, u.result.decode.nbest]);
    expect(decodes(merged)).toEqual(decodes(join(work, 'single-session.json')));
  });

  it('refuses a task outside the array, a missing count or no scheduler at all, saying what to set', async () => {
    const out = join(work, 'refused');
    const outside = await run(script, [demo, out], { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4' });
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/shard index 4 is outside 0…3; the array must have exactly 4 consecutive tasks \(e\.g\. --array=0-3\)/);
    expect((await run(script, [demo, out], { SLURM_ARRAY_TASK_ID: '0' })).stderr).toMatch(/no shard count: pass --shards N/);
    expect((await run(script, [demo, out])).stderr).toMatch(/no shard index: run as a Slurm array task \(SLURM_ARRAY_TASK_ID\) or a Kubernetes Indexed Job pod \(JOB_COMPLETION_INDEX\)/);
    expect((await run(script, ['--shards', 'four', demo, out], { JOB_COMPLETION_INDEX: '0' })).stderr).toMatch(/the shard count must be a positive whole number, not "four"/);
  });
});

describe('the Kubernetes jobs’ commands (deploy/kubernetes/*.yaml)', () => {
  const container = (file: string) => {
    const docs = parseAllDocuments(readFileSync(join(root, 'deploy', 'kubernetes', file), 'utf8')).map((d) => d.toJS() as { kind: string; spec: { completions?: number; template: { spec: { containers: Array<{ command: string[]; args: string[] }> } } } });
    const job = docs.find((d) => d.kind === 'Job')!;
    return { job, ...job.spec.template.spec.containers[0] };
  };
  // The volume's /data, here a folder holding the demo corpus.
  const data = join(work, 'k8s');
  const onVolume = (arg: string): string => arg.replace(/\/data\/corpus/g, demo).replace(/\/data\//g, `${data}/`);

  it('decode: every JOB_COMPLETION_INDEX runs the manifest’s command, and the merge job’s command joins them into one run', async () => {
    const decode = container('decode-job.yaml');
    expect(decode.command).toEqual(['earshot-shard']);
    for (let index = 0; index < decode.job.spec.completions!; index++) {
      const pod = await run(script, decode.args.map(onVolume), { JOB_COMPLETION_INDEX: String(index) });
      expect(pod.code).toBe(0);
    }
    const merge = container('merge-job.yaml');
    expect(merge.command).toEqual(['sh', '-c']);
    const finish = await run('sh', ['-c', onVolume(merge.args[0])]);
    expect(finish.stderr).toMatch(/^merge: 9 utterances from \d file\(s\)/);
    expect(finish.code).toBe(0);
    expect(byId(lines(join(data, 'out', 'results.jsonl')))).toEqual(byId(await singleRun()));
    expect(JSON.parse(readFileSync(join(data, 'out', 'sweep.json'), 'utf8'))).toHaveProperty('recommended');
  });
});
