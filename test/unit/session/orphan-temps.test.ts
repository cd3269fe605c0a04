import { existsSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withAtomicFile } from '../../../src/engine/session/atomic-write';
import { removeOrphanTemps } from '../../../src/engine/session/orphan-temps';
import { openSession } from '../../../src/engine/session/open-session';
import { PathGuard } from '../../../src/engine/session/path-guard';
import { saveSession } from '../../../src/engine/session/save-session';
import { sampleSession } from './session-fixtures';

const HOUR_AGO = new Date(Date.now() - 3600_000);
/** A pid no process has: above Linux's pid_max. */
const DEAD_PID = 4_194_999;

function temp(dir: string, name: string, age: Date = HOUR_AGO): string {
  const path = join(dir, name);
  writeFileSync(path, '{"half');
  utimesSync(path, age, age);
  return path;
}

describe('temp files left by a killed save', () => {
  it('are removed when their process is gone and they are old; a live or recent one stays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-orphans-'));
    const orphan = temp(dir, `.s.json.${DEAD_PID}.0badf00d.tmp`);
    const recent = temp(dir, `.s.json.${DEAD_PID}.0badf00e.tmp`, new Date());
    const live = temp(dir, `.s.json.${process.ppid}.0badf00f.tmp`);
    const other = temp(dir, 'notes.tmp');
    expect(await removeOrphanTemps(dir)).toEqual([orphan]);
    expect([recent, live, other].every((p) => existsSync(p))).toBe(true);
  });

  it('are cleaned when the session they belonged to is opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-orphans-'));
    const guard = new PathGuard([dir]);
    await saveSession(join(dir, 's.json'), sampleSession(dir), { guard });
    const orphan = temp(dir, `.s.json.${DEAD_PID}.12345678.tmp`);
    const otherFiles = temp(dir, `.t.json.${DEAD_PID}.12345678.tmp`);
    await openSession(join(dir, 's.json'), { guard });
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(otherFiles)).toBe(true);
  });

  it('match the names atomic writes use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-orphans-'));
    let name = '';
    await withAtomicFile(join(dir, 'x.json'), async (file) => {
      name = readdirSync(dir).find((n) => n.endsWith('.tmp')) ?? '';
      await file.writeFile('{}');
    });
    expect(name).toMatch(new RegExp(`^\\.x\\.json\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`));
  });
});
