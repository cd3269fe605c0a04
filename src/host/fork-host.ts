import { fork, type ChildProcess } from 'node:child_process';
import type { FromHostMessage, ToHostMessage } from '@shared/protocol';

export interface ForkedHost {
  send(message: ToHostMessage): void;
  onMessage(handler: (message: FromHostMessage) => void): void;
  close(): Promise<void>;
}

/** Starts the engine host as a child process (the browser shell's and the CLI's way). */
export function forkEngineHost(entry: URL, env: NodeJS.ProcessEnv = process.env): ForkedHost {
  const child: ChildProcess = fork(entry, [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') console.error(`earshot: the engine host exited (${signal ?? `code ${code}`})`);
  });
  return {
    send: (message) => child.send(message),
    onMessage: (handler) => child.on('message', (m) => handler(m as FromHostMessage)),
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
