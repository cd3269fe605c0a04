import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSessionBundle } from '../../../src/engine/export/session-bundle';
import { parseSession } from '../../../src/engine/session/load-session';
import { PathGuard } from '../../../src/engine/session/path-guard';
import { serializeSession } from '../../../src/engine/session/save-session';
import { sampleSession } from '../session/session-fixtures';

/** { a: { a: { … 1 } } }, `depth` levels, built without recursion. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe('a session nested thousands of levels deep', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-deep-'));

  it('is refused by name when bundled, instead of overflowing the stack', async () => {
    const session = { ...sampleSession(), view: nested(20_000) };
    await expect(writeSessionBundle(session, join(dir, 'deep.zip'), { guard: new PathGuard([dir]), includeAudio: false })).rejects.toThrow(
      /"view\.a\.a\.a… \(\d+ levels\)" is nested more than 100 levels deep/,
    );
  });

  it('is refused by name when loaded', () => {
    const text = serializeSession({ ...sampleSession(), view: {} }).replace('"view":{}', `"view":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`);
    expect(() => parseSession(text, 'deep.json')).toThrow(/"view\.a\.a\.a… \(\d+ levels\)" is nested more than 100 levels deep/);
  });

  it('still writes an ordinary session', () => {
    expect(() => serializeSession({ ...sampleSession(), view: nested(50) })).not.toThrow();
  });
});
