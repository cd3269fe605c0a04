import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util/out/DebugLogger';

const root = join(__dirname, '..', '..', '..');

/** electron-builder's own loader and schema read electron-builder.yml, as `npm run dist` would. */
async function packagingConfig() {
  const config = await getConfig(root, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

describe('the packaging configuration', () => {
  it('is valid for electron-builder and builds an AppImage and a deb for Linux', async () => {
    const config = await packagingConfig();
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    // The schema check is real: a misspelt fuse fails it.
    await expect(validateConfiguration({ ...config, electronFuses: { runAsNod: false } as never }, new DebugLogger(false))).rejects.toThrow(/does not match the API schema/);
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.dist).toBe('electron-vite build && electron-builder --linux AppImage deb');
  });

  it('flips the fuses that close Node-style entry points and loose app loading', async () => {
    expect((await packagingConfig()).electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs the built app in an asar and keeps resources/ beside it, where main points the engine host', async () => {
    const config = await packagingConfig();
    expect(config.asar).toBe(true);
    expect(config.files).toEqual([{ filter: ['out/**', 'package.json', '!**/*.map'] }]);
    expect(config.extraResources).toEqual([{ from: 'resources', to: 'resources' }]);
    expect(config.asarUnpack).toContain('**/*.node');
  });
});
