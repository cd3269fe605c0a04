import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelFolders } from '../models/model-folders';
import { isLanguageModelDir } from './load-language-model';

/** The cloud language model's usual folder name (what the README's build command writes). */
export const CLOUD_LM_NAME = 'cloud-lm';

/**
 * The language model the workbench rescores with: a folder with lm.json in the user's models folder, else in
 * the shipped one; `cloud-lm` first, then the others by name. Undefined when none is installed.
 */
export function findLanguageModel(folders: ModelFolders): string | undefined {
  for (const root of [folders.user, folders.shipped]) {
    if (!existsSync(root)) continue;
    const dirs = readdirSync(root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort((a, b) => Number(b === CLOUD_LM_NAME) - Number(a === CLOUD_LM_NAME) || a.localeCompare(b));
    const found = dirs.map((d) => join(root, d)).find(isLanguageModelDir);
    if (found) return found;
  }
  return undefined;
}
