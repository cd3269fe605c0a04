import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const root = join(__dirname, '..', '..');
export const screenshotDir = join(root, 'test-output', 'e2e');

export interface ServedApp {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `earshot serve` from the built app and waits for the URL it prints. The tests' files
 * live in the temporary folder and the repository, so those are the roots it may open.
 * `prefix` runs it through another command (setpriv, to drop root's file capabilities).
 */
export async function startServe(args: string[] = [], env: NodeJS.ProcessEnv = {}, prefix: string[] = []): Promise<ServedApp> {
  const command = [...prefix, process.execPath, join(root, 'bin', 'earshot.js'), 'serve', ...args];
  const child = spawn(command[0], command.slice(1), {
    cwd: root,
    // A cache of its own: no autosave or peaks left by another run leaks into this one.
    env: { ...process.env, EARSHOT_CACHE: mkdtempSync(join(tmpdir(), 'earshot-e2e-cache-')), EARSHOT_ROOTS: [tmpdir(), root].join(delimiter), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`earshot serve printed no URL within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /serving at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`earshot serve exited with ${code}:\n${output}`)));
  });
  return {
    url,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Debian's Chromium, headless, with the flags this sandboxed machine needs. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/**
 * A 1600×1000 page in the light theme on the served workbench, returned once the data set's analysis
 * is on screen; the page's uncaught errors are pushed to `errors`.
 */
export async function openWorkbench(browser: Browser, url: string, errors: string[], timeoutMs: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(() => localStorage.setItem('earshot-theme', 'light'));
  await page.goto(url);
  await page.getByTestId('dataset-metrics').waitFor({ timeout: timeoutMs });
  return page;
}
