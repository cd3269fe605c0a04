#!/usr/bin/env node
// The CLI is built with the app (npm run build); this stub only finds it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('earshot: the CLI is not built yet; run `npm run build` first');
  process.exit(1);
}
await import(cli.href);
