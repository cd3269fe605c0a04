import { parse, resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import type { Utterance } from '@shared/domain/session';
import { importDataset, type DatasetKind } from '@engine/session/import/import-dataset';
import { PathGuard } from '@engine/session/path-guard';

/**
 * The command line reads what its user named: a manifest's audio may lie anywhere (NeMo
 * manifests usually hold absolute paths), so its guard's root is the file system's root.
 * The folder limits protect the browser shell, whose requests come from a page.
 */
export function commandLineGuard(input: string): PathGuard {
  return new PathGuard([parse(resolve(input)).root]);
}

export async function importInput(input: string): Promise<{ kind: DatasetKind; utterances: Utterance[] }> {
  const path = resolve(input);
  if (!(await stat(path).catch(() => undefined))) throw new Error(`no such file or folder: ${input}`);
  return importDataset(path, { guard: commandLineGuard(path) });
}
