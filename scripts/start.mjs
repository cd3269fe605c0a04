#!/usr/bin/env node
// `npm start`: builds and opens the Electron window, after checking that Electron's binary is
// there. Installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1 (or a blocked download) have none; say
// so and point at the browser shell instead of ending in Electron's own stack trace.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

if (!electronBinary()) {
  console.error(
    [
      "earshot: Electron's binary is not installed, so the desktop window cannot open.",
      '  This happens when npm install ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1 or could not download it.',
      '  Use the browser shell instead:   npm run serve   (then open the URL it prints)',
      '  or install the binary:           unset ELECTRON_SKIP_BINARY_DOWNLOAD && node node_modules/electron/install.js',
    ].join('\n'),
  );
  process.exit(1);
}
const result = spawnSync('npx', ['electron-vite', 'preview', ...process.argv.slice(2)], { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(result.status ?? 1);
