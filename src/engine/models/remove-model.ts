import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { modelNameSchema } from '../../shared/api';

export class RemoveError extends Error {
  constructor(
    readonly code: 'not-found' | 'invalid-params',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Removes an installed model from the user's models folder (never the shipped ones): renamed
 * out of the way first, so the name disappears at once even if deleting the files takes a while.
 */
export async function removeModel(modelsDir: string, name: string): Promise<string> {
  const valid = modelNameSchema.safeParse(name);
  if (!valid.success) throw new RemoveError('invalid-params', `"${name}" is not a model name: ${valid.error.issues[0]?.message}`);
  const dir = join(modelsDir, name);
  if (!existsSync(dir)) throw new RemoveError('not-found', `no model "${name}" in ${modelsDir}`);
  const doomed = join(modelsDir, `.remove-${name}-${randomBytes(4).toString('hex')}`);
  await rename(dir, doomed);
  await rm(doomed, { recursive: true, force: true });
  return dir;
}
