import { basename, dirname, resolve } from 'node:path';
import { removeOrphanTemps } from '@engine/session/orphan-temps';
import { withAtomicFile } from '@engine/session/atomic-write';
import { commandArgs } from '../args';
import { EXIT, type ExitCode } from '../exit-codes';
import { scanJsonlLines } from '../read-jsonl';
import { importInput } from '../trusted-inputs';
import { runDifferences, type DecodeRun } from '../output/decode-run';
import { prepareDecodeOutput } from '../output/decode-output';
import { refuseInputAsOutput } from '../output/same-file';

export const mergeUsage = `earshot merge <results.jsonl …> --out merged.jsonl [--input DATASET]
  Joins the outputs of \`earshot decode --shard i/n\` into one results file, written atomically,
  after checking that they come from the same model and settings, that every shard 0…n−1 is
  there once, and that no utterance appears twice. With --input (the manifest or folder that
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

/** Every shard of one split, once each, or a message saying which are missing or repeated. */
function checkShards(files: readonly ShardFile[]): void {
  const labels = files.map((f) => f.run.shard);
  if (labels.every((l) => l === null)) return;
  if (labels.some((l) => l === null)) throw new Error('some inputs are shards (--shard) and some are not');
  const counts = new Set(labels.map((l) => (l as string).split('/')[1]));
  if (counts.size > 1) throw new Error(`the inputs are shards of different splits (${[...counts].map((n) => `/${n}`).join(', ')})`);
  const n = Number([...counts][0]);
  const seen = new Map<string, string>();
  for (const f of files) {
    const label = f.run.shard as string;
    if (seen.has(label)) throw new Error(`shard ${label} is given twice (${seen.get(label)} and ${f.path})`);
    seen.set(label, f.path);
  }
  const missing = Array.from({ length: n }, (_, i) => `${i}/${n}`).filter((l) => !seen.has(l));
  if (missing.length > 0) throw new Error(`shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`);
}

export async function mergeCommand(argv: string[]): Promise<ExitCode> {
  const args = commandArgs(argv, { out: { type: 'string' }, input: { type: 'string' } }, mergeUsage);
  if (!args) return EXIT.ok;
  const { values, positionals } = args;
  if (positionals.length === 0 || !values.out) throw new Error(`usage: ${mergeUsage}`);
  const out = resolve(values.out);
  for (const orphan of await removeOrphanTemps(dirname(out), { of: basename(out) })) console.error(`merge: removed ${orphan}, left by a run that was killed`);
  await refuseInputAsOutput(out, [...positionals, ...(values.input ? [values.input] : [])]);
  const files: ShardFile[] = [];
  for (const path of positionals) files.push(await readShardFile(path));
  for (const f of files.slice(1)) {
    const differences = runDifferences(files[0].run, f.run, ['shard']);
    if (differences.length > 0) throw new Error(`${f.path} and ${files[0].path} come from different runs (${differences.join('; ')})`);
  }
  checkShards(files);
  const merged = new Map<string, string>();
  for (const f of files) {
    for (const [id, text] of f.lines) {
      if (merged.has(id)) throw new Error(`utterance "${id}" is in more than one input (${f.path} among them)`);
      merged.set(id, text);
    }
  }
  let order = [...merged.keys()].sort();
  if (values.input) {
    const ids = (await importInput(values.input)).utterances.map((u) => u.id);
    const missing = ids.filter((id) => !merged.has(id));
    const known = new Set(ids);
    const extra = order.filter((id) => !known.has(id));
    const some = (list: string[]): string => `${list.slice(0, 5).join(', ')}${list.length > 5 ? ` and ${list.length - 5} more` : ''}`;
    if (missing.length > 0) throw new Error(`${missing.length} utterance(s) of ${values.input} are in no input: ${some(missing)}`);
    if (extra.length > 0) throw new Error(`${extra.length} utterance(s) are not in ${values.input}: ${some(extra)}`);
    order = ids;
  }
  // An existing --out is replaced only when it is a results file of this same (unsharded) run.
  await prepareDecodeOutput(out, { ...files[0].run, shard: null });
  await withAtomicFile(out, async (file) => {
    for (const id of order) await file.write(`${merged.get(id) as string}\n`);
  });
  console.error(`merge: ${order.length} utterances from ${files.length} file(s) → ${values.out}`);
  return EXIT.ok;
}
