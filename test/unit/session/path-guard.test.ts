import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PathGuard, realPathOf } from '../../../src/engine/session/path-guard';

const dir = mkdtempSync(join(tmpdir(), 'earshot-guard-'));
const opened = join(dir, 'opened');
const elsewhere = join(dir, 'elsewhere');
mkdirSync(join(opened, 'audio'), { recursive: true });
mkdirSync(elsewhere);
writeFileSync(join(opened, 'audio', 'a.wav'), 'RIFF');
writeFileSync(join(elsewhere, 'secret.wav'), 'RIFF');
symlinkSync(join(elsewhere, 'secret.wav'), join(opened, 'x.wav'));
symlinkSync(elsewhere, join(opened, 'corpus'));
symlinkSync(join(opened, 'audio', 'a.wav'), join(opened, 'alias.wav'));
symlinkSync(join(elsewhere, 'not-yet.wav'), join(opened, 'dangling.wav'));
symlinkSync('/etc/passwd', join(opened, 'passwd.wav'));
const guard = new PathGuard([opened]);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the path guard', () => {
  it('gives back the real path of what lies inside a root', () => {
    expect(guard.check(join(opened, 'audio', 'a.wav'), 'the audio')).toBe(join(opened, 'audio', 'a.wav'));
    expect(guard.check(join(opened, 'alias.wav'), 'the audio')).toBe(join(opened, 'audio', 'a.wav'));
    expect(guard.check(opened, 'the folder')).toBe(opened);
  });

  it('resolves links before the check: a link inside an opened folder cannot reach outside', () => {
    expect(() => guard.check(join(opened, 'x.wav'), 'the audio')).toThrow(/the audio \(it links to .*elsewhere\/secret\.wav\) is outside the folders you opened/);
    expect(() => guard.check(join(opened, 'corpus', 'secret.wav'), 'the audio')).toThrow(/outside/);
    expect(() => guard.check(join(opened, 'passwd.wav'), 'the audio')).toThrow(/links to \/etc\/passwd/);
  });

  it('follows a dangling link to where it points, so creating its target later changes nothing', () => {
    expect(guard.locate(join(opened, 'dangling.wav'))).toEqual({ written: join(opened, 'dangling.wav'), real: join(elsewhere, 'not-yet.wav'), inside: false });
  });

  it('allows outputs that do not exist yet inside a root, and refuses them outside', () => {
    expect(guard.check(join(opened, 'new', 'deeper', 'out.csv'), 'the export')).toBe(join(opened, 'new', 'deeper', 'out.csv'));
    expect(() => guard.check(join(opened, 'corpus', 'new', 'out.csv'), 'the export')).toThrow(/outside/);
    expect(() => guard.check(join(opened, '..', 'out.csv'), 'the export')).toThrow(/outside/);
  });

  it('resolves its roots too, so a root reached through a link still matches', () => {
    expect(new PathGuard([join(opened, 'corpus')]).check(join(elsewhere, 'secret.wav'), 'the audio')).toBe(join(elsewhere, 'secret.wav'));
    expect(realPathOf(join(opened, 'corpus', 'missing', 'x'))).toBe(join(elsewhere, 'missing', 'x'));
  });

  it('says how to proceed, and names the path the caller gave', () => {
    const error = (() => {
      try {
        new PathGuard([opened], { folders: 'the folders Earshot may open', advice: 'allow its folder first' }).check('/etc/passwd', 'the session file');
      } catch (e) {
        return e as Error & { code: string; file: string };
      }
    })();
    expect(error).toMatchObject({ code: 'outside-roots', file: '/etc/passwd' });
    expect(error?.message).toBe(`/etc/passwd: the session file is outside the folders Earshot may open (${opened}); allow its folder first`);
    expect(() => guard.check('/etc/passwd', 'the session file')).toThrow(/is outside the folders you opened \(.*\); open its folder first$/);
  });

  it('names a root once, not the roots inside it', () => {
    expect(new PathGuard([opened, join(opened, 'audio'), elsewhere, opened]).roots).toEqual([opened, elsewhere]);
  });
});
