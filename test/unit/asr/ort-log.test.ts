import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe("onnxruntime's own log", () => {
  it('stays quiet when a run fails: the thrown error carries the message, stderr gets no coloured log line', async () => {
    const child = join(__dirname, 'ort-failing-run.ts');
    const decoder = join(__dirname, '..', '..', 'fixtures', 'tiny-model', 'decoder.onnx');
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', child, decoder]);
    expect(stdout).toMatch(/threw: .*Gather.*out of bounds|threw: .*Gather/);
    expect(stderr).not.toMatch(/onnxruntime/);
    expect(stderr).not.toContain('\u001b[');
  });
});
