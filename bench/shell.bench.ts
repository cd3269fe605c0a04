/**
 * The browser shell's round trip: how long a quick request takes through WebSocket →
 * server → engine host and back, alone and while a 2 s CPU-bound request runs.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { createApiClient } from '../src/shared/client';
import type { FromHostMessage } from '../src/shared/protocol';
import type { BenchOutput } from './run';

const root = fileURLToPath(new URL('..', import.meta.url));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

export default async function run(): Promise<BenchOutput> {
  const child = spawn(process.execPath, ['bin/earshot.js', 'serve'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /serving at (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', () => reject(new Error(`serve exited: ${out}`)));
    });
    const socket = new WebSocket(new URL('ws', url).href.replace(/^http/, 'ws'));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const api = createApiClient({
      send: (m) => socket.send(JSON.stringify(m)),
      onMessage: (h) => socket.on('message', (d) => h(JSON.parse(String(d)) as FromHostMessage)),
    });
    const timePing = async (): Promise<number> => {
      const t0 = performance.now();
      await api.call('ping', {});
      return performance.now() - t0;
    };
    for (let i = 0; i < 20; i++) await timePing();
    const idle: number[] = [];
    for (let i = 0; i < 200; i++) idle.push(await timePing());
    const slow = api.call('busyWait', { ms: 2000 });
    const busy: number[] = [];
    for (let i = 0; i < 50; i++) busy.push(await timePing());
    await slow;
    socket.close();
    return {
      metrics: { ping_p50_ms: percentile(idle, 0.5), ping_p99_ms: percentile(idle, 0.99), ping_during_slow_p50_ms: percentile(busy, 0.5), ping_during_slow_p99_ms: percentile(busy, 0.99) },
      units: { ping_p50_ms: 'ms', ping_p99_ms: 'ms', ping_during_slow_p50_ms: 'ms', ping_during_slow_p99_ms: 'ms' },
    };
  } finally {
    child.kill('SIGTERM');
  }
}
