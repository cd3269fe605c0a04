import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allowedRoots, FileAccess, ROOTS_ENV } from '../../../src/host/file-access';
import { projectRootOf } from '../../../src/host/host-paths';
import { ApiError } from '../../../src/shared/protocol';

const paths = { resourcesDir: '/app/resources', modelDir: '/app/resources/models/earshot-rnnt', cacheDir: '/cache/earshot', models: { user: '/home/u/.local/share/earshot/models', shipped: '/app/resources/models' }, liveDir: '/home/u/.local/share/earshot/live' };
const ownFolders = [paths.resourcesDir, paths.modelDir, paths.cacheDir, paths.models.user, paths.liveDir];

describe('the roots the engine host may open', () => {
  it('are the home folder and the app’s own folders (resources, model, cache, the user’s models, the live data set) by default', () => {
    expect(allowedRoots(paths, {})).toEqual([homedir(), ...ownFolders]);
  });

  it('are the folders EARSHOT_ROOTS lists instead of home, when it lists any', () => {
    expect(allowedRoots(paths, { [ROOTS_ENV]: ['/data/corpora', '/scratch'].join(delimiter) })).toEqual(['/data/corpora', '/scratch', ...ownFolders]);
    expect(allowedRoots(paths, { [ROOTS_ENV]: '' })[0]).toBe(homedir());
  });
});

describe('where the host finds resources/', () => {
  it('is beside the out/ or src/ folder its code was loaded from, however deep the chunk', () => {
    expect(projectRootOf('/repo/out/main')).toBe('/repo');
    expect(projectRootOf('/repo/out/main/chunks')).toBe('/repo');
    expect(projectRootOf('/repo/src/host')).toBe('/repo');
  });
});

describe('file access', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-access-'));
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'picked'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checks a path against the roots and answers with an API error that says how to allow more', () => {
    const access = new FileAccess([join(dir, 'data')]);
    expect(access.check(join(dir, 'data', 'a.wav'), 'the recording')).toBe(join(dir, 'data', 'a.wav'));
    const error = (() => {
      try {
        access.check(join(dir, 'picked', 'a.wav'), 'the recording');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'outside-roots' });
    expect((error as Error).message).toMatch(/the recording is outside the folders Earshot may open .*; allow its folder first \(earshot serve --root FOLDER, or EARSHOT_ROOTS\)/);
  });

  it('takes a folder the user picked through a trusted channel, and its guard follows', () => {
    const access = new FileAccess([join(dir, 'data')]);
    access.allow(join(dir, 'picked'));
    expect(access.check(join(dir, 'picked', 'a.wav'), 'the recording')).toBe(join(dir, 'picked', 'a.wav'));
    expect(access.guard().roots).toEqual([join(dir, 'data'), join(dir, 'picked')]);
  });
});
