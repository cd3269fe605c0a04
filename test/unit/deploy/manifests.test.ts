/**
 * deploy/: the Kubernetes manifests hold what the batch/v1 Job schema requires and what an
 * Indexed Job over shards needs, and the Dockerfile makes the image they name. (Neither
 * kubectl nor docker runs here; test/e2e/deploy-shards.test.ts runs the commands themselves.)
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const deploy = join(__dirname, '..', '..', '..', 'deploy');

interface Container {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  volumeMounts?: Array<{ name?: string; mountPath?: string }>;
}
interface PodSpec {
  restartPolicy?: string;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers?: Container[];
  volumes?: Array<{ name?: string; persistentVolumeClaim?: { claimName?: string } }>;
}
interface Resource {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: {
    completionMode?: string;
    completions?: number;
    parallelism?: number;
    backoffLimit?: number;
    accessModes?: string[];
    template?: { spec?: PodSpec };
  };
}

function resources(file: string): Resource[] {
  const docs = parseAllDocuments(readFileSync(join(deploy, 'kubernetes', file), 'utf8'));
  for (const doc of docs) expect(doc.errors.map(String)).toEqual([]);
  return docs.map((doc) => doc.toJS() as Resource);
}

/** What the API server would refuse in a batch/v1 Job (its required fields and their types), as messages. */
function jobProblems(job: Resource): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string): void => void (ok || problems.push(what));
  need(job.apiVersion === 'batch/v1' && job.kind === 'Job', 'apiVersion batch/v1, kind Job');
  need(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(job.metadata?.name ?? ''), 'metadata.name, a DNS label');
  const pod = job.spec?.template?.spec;
  need(pod !== undefined, 'spec.template.spec');
  need(pod?.restartPolicy === 'Never' || pod?.restartPolicy === 'OnFailure', "restartPolicy Never or OnFailure (a Job's pods may not restart Always)");
  need((pod?.containers?.length ?? 0) > 0, 'at least one container');
  const volumes = new Set(pod?.volumes?.map((v) => v.name));
  for (const c of pod?.containers ?? []) {
    need(typeof c.name === 'string' && typeof c.image === 'string', 'every container has a name and an image');
    for (const arg of [...(c.command ?? []), ...(c.args ?? [])]) need(typeof arg === 'string', `command and args are strings (${JSON.stringify(arg)} is not)`);
    for (const m of c.volumeMounts ?? []) need(volumes.has(m.name) && typeof m.mountPath === 'string', `volume mount ${m.name} names a volume of the pod`);
  }
  for (const n of ['completions', 'parallelism', 'backoffLimit'] as const) {
    const v = job.spec?.[n];
    need(v === undefined || (Number.isInteger(v) && v >= 0), `spec.${n} a whole number`);
  }
  return problems;
}

describe('the Kubernetes decode job (deploy/kubernetes/decode-job.yaml)', () => {
  const [claim, job] = resources('decode-job.yaml');
  const pod = job.spec?.template?.spec;
  const container = pod?.containers?.[0];

  it('is a valid batch/v1 Job', () => {
    expect(jobProblems(job)).toEqual([]);
  });

  it('runs one pod per shard, all at once, and tells each pod the shard count', () => {
    expect(job.spec?.completionMode).toBe('Indexed');
    expect(job.spec?.completions).toBeGreaterThan(1);
    expect(job.spec?.parallelism).toBe(job.spec?.completions);
    const args = container?.args ?? [];
    expect(container?.command).toEqual(['earshot-shard']);
    expect(Number(args[args.indexOf('--shards') + 1])).toBe(job.spec?.completions);
  });

  it('reads the corpus and writes the parts on one volume that every node shares', () => {
    expect(claim.kind).toBe('PersistentVolumeClaim');
    expect(claim.spec?.accessModes).toEqual(['ReadWriteMany']);
    expect(pod?.volumes?.[0].persistentVolumeClaim?.claimName).toBe(claim.metadata?.name);
    const mount = container?.volumeMounts?.[0].mountPath ?? '';
    const [corpus, outdir] = (container?.args ?? []).slice(2, 4);
    expect(corpus.startsWith(`${mount}/`) && outdir.startsWith(`${mount}/`)).toBe(true);
  });

  it('runs as the image’s unprivileged user', () => {
    expect(pod?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
  });
});

describe('the Kubernetes merge job (deploy/kubernetes/merge-job.yaml)', () => {
  const [decodeClaim, decodeJob] = resources('decode-job.yaml');
  const [job] = resources('merge-job.yaml');
  const script = job.spec?.template?.spec?.containers?.[0].args?.join(' ') ?? '';

  it('is a valid batch/v1 Job on the decode job’s volume', () => {
    expect(jobProblems(job)).toEqual([]);
    expect(job.spec?.template?.spec?.volumes?.[0].persistentVolumeClaim?.claimName).toBe(decodeClaim.metadata?.name);
  });

  it('merges exactly the decode job’s parts, checked against the corpus, then sweeps', () => {
    const n = decodeJob.spec?.completions;
    expect(script).toMatch(new RegExp(`earshot merge /data/out/part-\\*-of-${n}\\.jsonl --out /data/out/results\\.jsonl --input /data/corpus &&`));
    expect(script).toMatch(/earshot sweep \/data\/out\/results\.jsonl --out \/data\/out\/sweep\.json/);
  });
});

describe('the image (deploy/Dockerfile)', () => {
  const text = readFileSync(join(deploy, 'Dockerfile'), 'utf8');
  const instructions = text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.trim().split(/\s+/);
      return { op: op.toUpperCase(), arg: rest.join(' ') };
    });
  const last = (op: string) => instructions.filter((i) => i.op === op).at(-1)?.arg;
  const stages = instructions.filter((i) => i.op === 'FROM').map((i) => i.arg);

  it('is built and run on Debian bookworm with Node 20', () => {
    expect(stages.length).toBeGreaterThan(0);
    for (const from of stages) expect(from).toMatch(/^node:20-bookworm(-slim)?\b/);
  });

  it('installs the npm dependencies from the lock file, the CPU build of onnxruntime-node only', () => {
    expect(text).toMatch(/COPY package\.json package-lock\.json/);
    expect(text).toMatch(/RUN npm ci\b/);
    expect(text).toMatch(/ONNXRUNTIME_NODE_INSTALL=skip/);
    expect(text).toMatch(/npm prune --omit=dev/);
  });

  it('runs `earshot` as an unprivileged user, with the shard runner the jobs call', () => {
    expect(last('USER')).toBeDefined();
    expect(last('USER')).not.toMatch(/^(root|0)(:|$)/);
    expect(instructions.findIndex((i) => i.op === 'USER')).toBeGreaterThan(instructions.findLastIndex((i) => i.op === 'FROM'));
    expect(JSON.parse(last('ENTRYPOINT') ?? 'null')).toEqual(['earshot']);
    expect(text).toMatch(/ln -s \/app\/bin\/earshot\.js \/usr\/local\/bin\/earshot\n/);
    expect(text).toMatch(/COPY --from=build \/app\/deploy\/decode-shard\.sh \/usr\/local\/bin\/earshot-shard\n/);
  });
});
