import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * kill -9 a process that is rewriting a file with writeFileAtomic, at random instants, 100
 * times; every time the file must be one complete version (its checksum matches).
 * The child imports atomic-write.ts transpiled by esbuild, so it runs the real code.
 */
const KILLS = 100;
const PAYLOAD_BYTES = 384 * 1024;
const child = fileURLToPath(new URL('./fixtures/atomic-writer-child.mjs', import.meta.url));

let dir: string;
let modulePath: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-crash-'));
  const source = await readFile(fileURLToPath(new URL('../../../src/engine/session/atomic-write.ts', import.meta.url)), 'utf8');
  modulePath = join(dir, 'atomic-write.mjs');
  await writeFile(modulePath, (await transform(source, { loader: 'ts', format: 'esm' })).code);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Starts the writer, kills it `delayMs` after it is ready, resolves once it is dead. */
function writeAndKill(target: string, delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, modulePath, target, String(PAYLOAD_BYTES)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdout.once('data', () => setTimeout(() => proc.kill('SIGKILL'), delayMs));
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited on its own: ${stderr}`))));
  });
}

function checkComplete(text: string): number {
  const doc = JSON.parse(text) as { version: number; sha256: string; data: string };
  expect(createHash('sha256').update(doc.data).digest('hex')).toBe(doc.sha256);
  return doc.version;
}

describe('atomic writes under kill -9', () => {
  it(`leaves a complete old or new file every time (${KILLS} kills)`, async () => {
    const target = join(dir, 'session.json');
    await writeFile(target, JSON.stringify({ version: 0, sha256: createHash('sha256').update('').digest('hex'), data: '' }));
    let killedMidWrite = 0;
    let replaced = 0;
    for (let i = 0; i < KILLS; i++) {
      await writeAndKill(target, Math.floor(Math.random() * 25));
      const version = checkComplete(await readFile(target, 'utf8'));
      if (version > 0) replaced++;
      // A temporary file left behind means the kill landed during a write; clear it for the next round.
      const leftovers = (await readdir(dir)).filter((f) => f.endsWith('.tmp'));
      if (leftovers.length) killedMidWrite++;
      await Promise.all(leftovers.map((f) => unlink(join(dir, f))));
    }
    expect(replaced).toBeGreaterThan(0);
    expect(killedMidWrite).toBeGreaterThan(0);
  }, 60_000);
});
