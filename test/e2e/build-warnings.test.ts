import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { root } from './harness';

const run = promisify(execFile);

it('the build prints no warnings (zod’s annotations Rollup cannot place are dropped quietly)', async () => {
  const { stdout, stderr } = await run(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root });
  expect(`${stdout}\n${stderr}`).not.toMatch(/annotation that Rollup cannot interpret|\(!\)|warning/i);
});
