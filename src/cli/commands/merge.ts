import { basename, dirname, resolve } from 'node:path';
import { removeOrphanTemps } from '@engine/session/orphan-temps';
import { open } from 'node:fs/promises';
import { withAtomicFile } from '@engine/session/atomic-write';
import { loadSession } from '@engine/session/load-session';
import { mergeSessions, type NamedSession } from '@engine/session/merge-sessions';
import { PathGuard } from '@engine/session/path-guard';
import { saveSession } from '@engine/session/save-session';
import { checkShardCover } from '@engine/dataset/shard-cover';
import { commandArgs } from '../args';
import { EXIT, type ExitCode } from '../exit-codes';
import { scanJsonlLines } from '../read-jsonl';
import { commandLineGuard, importInput } from '../trusted-inputs';
import { shardOf } from '../shard';
import { checkReplaceableOutput } from '../output/replace-output';
import { runDifferences, type DecodeRun } from '../output/decode-run';
import { prepareDecodeOutput } from '../output/decode-output';
import { refuseInputAsOutput } from '../output/same-file';

export const mergeUsage = `earshot merge <results.jsonl … | session.json …> --out merged.jsonl|session.json [--input DATASET]
  Joins the outputs of \`earshot decode --shard i/n\` into one results file, or the sessions of
  \`earshot analyze --shard i/n\` into one session, written atomically, after checking that they
  come from the same model and settings, that every shard 0…n−1 is there once, and that no
  utterance appears twice. With --input (the manifest or folder that
  was decoded) it also checks that every utterance of the data set is there, and keeps its
  order; otherwise lines are ordered by id. The merged file resumes like an unsharded run.`;

interface Line {
  id: string;
  run: DecodeRun;
}

interface ShardFile {
  path: string;
  run: DecodeRun;
  lines: Map<string, string>;
}

async function readShardFile(path: string): Promise<ShardFile> {
  const lines = new Map<string, string>();
  let run: DecodeRun | undefined;
  const add = (text: string, n: number): void => {
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      throw new Error(`${path}:${n}: not a JSON line`);
    }
    if (typeof line?.id !== 'string' || !line.run) throw new Error(`${path}:${n}: not a line of \`earshot decode\` (no id or run)`);
    run ??= line.run;
    const differences = runDifferences(run, line.run);
    if (differences.length > 0) throw new Error(`${path}:${n}: another run than the file's first line (${differences.join('; ')})`);
    if (lines.has(line.id)) throw new Error(`${path}:${n}: utterance "${line.id}" appears twice`);
    // The merged file is one unsharded run.
    lines.set(line.id, JSON.stringify({ ...line, run: { ...line.run, shard: null } }));
  };
  const scan = await scanJsonlLines(path, add);
  if (scan.tail.trim() !== '') throw new Error(`${path}: its last line is incomplete (an interrupted run): resume it with the same \`earshot decode\` command first`);
  if (!run) throw new Error(`${path} holds no results`);
  return { path, run, lines };
}

/**
 * The data set's order of the merged ids, after checking that they are exactly its
 * utterances; without an input, the ids sorted.
 */
async function datasetOrder(ids: ReadonlySet<string>, input: string | undefined): Promise<string[]> {
  if (!input) return [...ids].sort();
  const order = await datasetIds(input);
  const known = new Set(order);
  const missing = order.filter((id) => !ids.has(id));
  const extra = [...ids].filter((id) => !known.has(id));
  const some = (list: string[]): string => `${list.slice(0, 5).join(', ')}${list.length > 5 ? ` and ${list.length - 5} more` : ''}`;
  if (missing.length > 0) throw new Error(`${missing.length} utterance(s) of ${input} are in no input: ${some(missing)}`);
  if (extra.length > 0) throw new Error(`${extra.length} utterance(s) are not in ${input}: ${some(extra)}`);
  return order;
}

async function datasetIds(input: string): Promise<string[]> {
  return (await importInput(input)).utterances.map((u) => u.id);
}

/** With the data set known, a shard it gives no utterance may be missing: that run wrote nothing. */
async function emptyShards(input: string | undefined): Promise<((index: number, count: number) => boolean) | undefined> {
  if (!input) return undefined;
  const ids = await datasetIds(input);
  return (index, count) => !ids.some((id) => shardOf(id, count) === index);
}

/** Sessions open with their format (serializeSession writes it first); results files with an id. */
async function isSessionFile(path: string): Promise<boolean> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) throw new Error(`cannot read ${path}: no such file`);
  try {
    const head = new Uint8Array(200);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return /^\s*\{\s*"format"\s*:\s*"earshot-session"/.test(Buffer.from(head.subarray(0, bytesRead)).toString('utf8'));
  } finally {
    await file.close();
  }
}

async function mergeResults(paths: string[], out: string, input: string | undefined): Promise<number> {
  const files: ShardFile[] = [];
  for (const path of paths) files.push(await readShardFile(path));
  for (const f of files.slice(1)) {
    const differences = runDifferences(files[0].run, f.run, ['shard']);
    if (differences.length > 0) throw new Error(`${f.path} and ${files[0].path} come from different runs (${differences.join('; ')})`);
  }
  checkShardCover(files.map((f) => ({ label: f.run.shard, source: f.path })), 'inputs', await emptyShards(input));
  const merged = new Map<string, string>();
  for (const f of files) {
    for (const [id, text] of f.lines) {
      if (merged.has(id)) throw new Error(`utterance "${id}" is in more than one input (${f.path} among them)`);
      merged.set(id, text);
    }
  }
  const order = await datasetOrder(new Set(merged.keys()), input);
  // An existing --out is replaced only when it is a results file of this same (unsharded) run.
  await prepareDecodeOutput(out, { ...files[0].run, shard: null });
  await withAtomicFile(out, async (file) => {
    for (const id of order) await file.write(`${merged.get(id) as string}\n`);
  });
  return order.length;
}

async function mergeSessionFiles(paths: string[], out: string, input: string | undefined): Promise<number> {
  const parts: NamedSession[] = [];
  for (const path of paths) parts.push({ source: path, session: (await loadSession(resolve(path), { guard: commandLineGuard(path) })).session });
  const ids = new Set(parts.flatMap((p) => p.session.utterances.map((u) => u.id)));
  const session = mergeSessions(parts, input ? await datasetOrder(ids, input) : undefined, await emptyShards(input));
  await checkReplaceableOutput(out, 'session');
  await saveSession(out, session, { guard: new PathGuard([dirname(out)]) });
  return session.utterances.length;
}

export async function mergeCommand(argv: string[]): Promise<ExitCode> {
  const args = commandArgs(argv, { out: { type: 'string' }, input: { type: 'string' } }, mergeUsage);
  if (!args) return EXIT.ok;
  const { values, positionals } = args;
  if (positionals.length === 0 || !values.out) throw new Error(`usage: ${mergeUsage}`);
  const out = resolve(values.out);
  for (const orphan of await removeOrphanTemps(dirname(out), { of: basename(out) })) console.error(`merge: removed ${orphan}, left by a run that was killed`);
  await refuseInputAsOutput(out, [...positionals, ...(values.input ? [values.input] : [])]);
  const kinds = await Promise.all(positionals.map(isSessionFile));
  if (kinds.some((k) => k !== kinds[0])) throw new Error('merge takes results files (earshot decode) or sessions (earshot analyze), not both');
  const count = kinds[0] ? await mergeSessionFiles(positionals, out, values.input) : await mergeResults(positionals, out, values.input);
  console.error(`merge: ${count} utterances from ${positionals.length} ${kinds[0] ? 'sessions' : 'file(s)'} → ${values.out}`);
  return EXIT.ok;
}
