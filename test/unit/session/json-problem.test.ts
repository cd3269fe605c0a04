import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonProblem } from '../../../src/engine/session/json-problem';
import { parseSession } from '../../../src/engine/session/load-session';
import { parseEarshotManifest } from '../../../src/engine/session/import/earshot-manifest';
import { PathGuard } from '../../../src/engine/session/path-guard';
import { resolveModelDir } from '../../../src/engine/asr/model-dir';

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n';

function problemOf(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return jsonProblem(error, text);
  }
  return 'parsed';
}

describe('errors about text that is not JSON', () => {
  it('say where the problem is without quoting the text', () => {
    expect(problemOf(PASSWD)).toBe('is not valid JSON');
    expect(problemOf('{"a":')).toBe('is not valid JSON (it ends in the middle of a value)');
    expect(problemOf('{\n  "a" 1}')).toBe('is not valid JSON (at line 2, column 7)');
    expect(problemOf('{"a":1}x')).toBe('is not valid JSON (at line 1, column 8)');
  });

  it('never echo a file opened by mistake: a session, a manifest, a model.json', () => {
    expect(() => parseSession(PASSWD, '/etc/passwd')).toThrow(/^\/etc\/passwd: is not valid JSON$/);
    const dir = mkdtempSync(join(tmpdir(), 'earshot-json-'));
    expect(() => parseEarshotManifest(PASSWD, join(dir, 'm.jsonl'), new PathGuard([dir]))).toThrow(/line 1: is not valid JSON$/);
    writeFileSync(join(dir, 'model.json'), PASSWD);
    expect(() => resolveModelDir(dir)).toThrow(/model\.json is not valid JSON$/);
    rmSync(dir, { recursive: true, force: true });
  });
});
