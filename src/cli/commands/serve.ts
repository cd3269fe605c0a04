import { statSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveModelDir } from '@engine/asr/model-dir';
import { forkEngineHost } from '../../host/fork-host';
import { allowedRoots } from '../../host/file-access';
import { resolveHostPaths } from '../../host/host-paths';
import { startServer } from '../../server/serve';
import { commandArgs } from '../args';
import { EXIT, type ExitCode } from '../exit-codes';

export const serveUsage = `earshot serve [--port N] [--host ADDR] [--allow-remote] [--model DIR] [--root FOLDER]...
  Serves the workbench to a browser on 127.0.0.1 (a free port unless --port),
  at a URL that carries a fresh random token. Binding a non-loopback --host
  needs --allow-remote. --model: the model the workbench starts on (default: the
  shipped one); the picker offers it with those of the models folders. The page
  may open files, and its folder browser shows folders, only below each --root
  (the home folder when none is given).`;

/** Resolves once serving (nothing: the process keeps running), or with a code after --help. */
export async function serveCommand(argv: string[]): Promise<ExitCode | void> {
  const args = commandArgs(
    argv,
    {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'allow-remote': { type: 'boolean', default: false },
      model: { type: 'string' },
      root: { type: 'string', multiple: true },
    },
    serveUsage,
  );
  if (!args) return EXIT.ok;
  const { values, positionals } = args;
  if (positionals.length > 0) throw new Error(`serve takes no file arguments (got ${positionals.join(' ')})\n\nusage: ${serveUsage}`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer from 0 to 65535, not "${values.port}"`);
  const model = values.model === undefined ? undefined : resolve(values.model);
  // A broken model fails here with one clear message, not later in the page.
  if (model) resolveModelDir(model);
  const roots = (values.root ?? []).map((r) => resolve(r));
  for (const root of roots) if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`--root ${root}: no such folder`);
  const env = { ...process.env, ...(model ? { EARSHOT_MODEL: model } : {}), ...(roots.length ? { EARSHOT_ROOTS: roots.join(delimiter) } : {}) };
  const engineHost = forkEngineHost(new URL('./engine-host.js', import.meta.url), env);
  const server = await startServer({
    port,
    host: values.host,
    allowRemote: values['allow-remote'],
    rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)),
    engineHost,
    // the media route allows what the host allows
    roots: allowedRoots(resolveHostPaths(env), env),
  });
  console.log(`Earshot is serving at ${server.url}${model ? ` (model ${model})` : ''}`);
  const stop = async (): Promise<void> => {
    await server.close();
    await engineHost.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
