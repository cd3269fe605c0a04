/**
 * A synchronous onnxruntime session. The public `InferenceSession.run` defers every call
 * through setImmediate and re-validates its feeds: about 20 µs a call, and the searches make
 * one or two calls per encoder frame with a few hundred multiply-adds each. The native
 * binding under it runs synchronously, so the session is driven through that (pinned to
 * onnxruntime-node 1.30's dist/binding.js; the error below says so if it ever moves).
 */
import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-node';

interface NativeSession {
  loadModel(path: string, options: ort.InferenceSession.SessionOptions): void;
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: ort.InferenceSession.SessionOptions): void;
  run(feeds: Record<string, ort.Tensor>, fetches: Record<string, null>, options: object): Record<string, ort.Tensor>;
  dispose(): void;
}

interface NativeBinding {
  binding: { InferenceSession: new () => NativeSession };
  initOrt(): void;
}

let native: NativeBinding | undefined;

function loadBinding(): NativeBinding {
  if (native) return native;
  const require = createRequire(import.meta.url);
  try {
    native = require('onnxruntime-node/dist/binding.js') as NativeBinding;
  } catch (err) {
    throw new Error(`onnxruntime-node's native binding (dist/binding.js) could not be loaded: ${(err as Error).message}`);
  }
  // Registers onnxruntime-common's Tensor class with the addon, once per thread. onnxruntime's
  // own log goes to stderr in colour and repeats what the thrown error says: errors only.
  ort.env.logLevel = 'error';
  native.initOrt();
  return native;
}

export interface OrtThreads {
  intraOpNumThreads: number;
  interOpNumThreads: number;
}

export class OrtSession {
  private readonly session: NativeSession;
  private readonly runOptions = {};

  /** `bytes`: the graph to load, a rewritten copy of the file at `path`; default: the file itself. */
  constructor(
    readonly path: string,
    threads: OrtThreads,
    bytes?: Uint8Array,
  ) {
    this.session = new (loadBinding().binding.InferenceSession)();
    const options: ort.InferenceSession.SessionOptions = {
      ...threads,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // A failed run throws with onnxruntime's message, which the caller reports; its log line
      // (and graph warnings a user cannot act on) would only repeat it. Fatal errors only.
      logSeverityLevel: 4,
    };
    if (bytes) this.session.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, options);
    else this.session.loadModel(path, options);
  }

  run(feeds: Record<string, ort.Tensor>, outputs: readonly string[]): Record<string, ort.Tensor> {
    const fetches: Record<string, null> = {};
    for (const name of outputs) fetches[name] = null;
    return this.session.run(feeds, fetches, this.runOptions);
  }

  release(): void {
    this.session.dispose();
  }
}
