import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('npm start without Electron’s binary', () => {
  it('says what is missing and points at npm run serve, with no stack trace', async () => {
    const script = join(__dirname, '..', '..', '..', 'scripts', 'start.mjs');
    // Electron's own index.js resolves the binary under this folder: an empty one has none.
    const env = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: join(__dirname, 'no-electron-here') };
    const failure = await run(process.execPath, [script], { env }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/Electron's binary is not installed/);
    expect(failure?.stderr).toMatch(/npm run serve/);
    expect(failure?.stderr).not.toMatch(/\n\s+at /);
  });
});
