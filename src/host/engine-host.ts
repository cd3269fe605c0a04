import { createDispatcher } from './dispatch';
import { createHandlers } from './handlers';
import { Workspace } from './workspace';
import { resolveHostPaths } from './host-paths';
import { allowedRoots, FileAccess } from './file-access';
import { WorkerPool } from './worker-pool';
import { LiveSessions } from './live-sessions';
import type { FromHostMessage, ToHostMessage } from '@shared/protocol';

/**
 * Entry of the engine host process. Electron starts it as a utilityProcess (messages on
 * process.parentPort); the browser shell and the CLI fork it (messages on process.send).
 * Either way it speaks the protocol in src/shared/protocol.ts.
 */
interface ParentPort {
  on(event: 'message', listener: (event: { data: ToHostMessage }) => void): void;
  postMessage(message: FromHostMessage): void;
}

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
const pool = new WorkerPool(new URL('./engine-worker.js', import.meta.url));
const paths = resolveHostPaths();
const context = { pool, paths, files: new FileAccess(allowedRoots(paths)) };
const handlers = createHandlers(new Workspace(), new LiveSessions(new URL('./live-worker.js', import.meta.url)));

if (parentPort) {
  const dispatch = createDispatcher(handlers, context, (m) => parentPort.postMessage(m));
  parentPort.on('message', (event) => dispatch(event.data));
} else if (process.send) {
  const dispatch = createDispatcher(handlers, context, (m) => process.send?.(m));
  process.on('message', (m: ToHostMessage) => dispatch(m));
  process.on('disconnect', () => void pool.close().then(() => process.exit(0)));
} else {
  throw new Error('engine-host must be started by Electron (utilityProcess) or forked with an IPC channel');
}
