import { join } from 'node:path';
import { staticFileOf } from '../server/static-files';
import { APP_HOST, APP_SCHEME } from './security';

/**
 * The built renderer file an `app://earshot/…` request names, or undefined for another
 * host, a malformed path or one that leaves the renderer folder (the browser shell's
 * static route applies the same rule).
 */
export function appFileOf(requestUrl: string, rendererDir: string): string | undefined {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return undefined;
  return staticFileOf(rendererDir, url.pathname.slice(1));
}

/**
 * Where the packaged app keeps resources/ (demo recordings, the model): electron-builder
 * copies it beside app.asar, because ONNX Runtime reads model files with its own I/O,
 * which cannot look inside an archive. Unpackaged, the host finds resources/ itself.
 */
export function packagedResourcesDir(isPackaged: boolean, resourcesPath: string): string | undefined {
  return isPackaged ? join(resourcesPath, 'resources') : undefined;
}
