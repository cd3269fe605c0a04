import { statSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { forkEngineHost } from '../../host/fork-host';
import { startServer } from '../../server/serve';

export const serveUsage = `earshot serve [--port N] [--host ADDR] [--allow-remote] [--root FOLDER]...
  Serves the workbench to a browser on 127.0.0.1 (a free port unless --port),
  at a URL that carries a fresh random token. Binding a non-loopback --host
  needs --allow-remote. The page's folder browser shows only what lies below
  each --root (the home folder when none is given).`;

export async function serveCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'allow-remote': { type: 'boolean', default: false },
      root: { type: 'string', multiple: true },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer from 0 to 65535, not "${values.port}"`);
  const roots = (values.root ?? []).map((r) => resolve(r));
  for (const root of roots) if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`--root ${root}: no such folder`);
  const env = roots.length ? { ...process.env, EARSHOT_ROOTS: roots.join(delimiter) } : process.env;
  const engineHost = forkEngineHost(new URL('./engine-host.js', import.meta.url), env);
  const server = await startServer({
    port,
    host: values.host,
    allowRemote: values['allow-remote'],
    rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)),
    engineHost,
  });
  console.log(`Earshot is serving at ${server.url}`);
  const stop = async (): Promise<void> => {
    await server.close();
    await engineHost.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
