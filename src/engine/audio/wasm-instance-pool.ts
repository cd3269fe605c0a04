/**
 * The wasm-audio-decoders family makes a new WebAssembly instance (with its own memory) for
 * every decoder, and again on every reset. For a one-second clip that costs more than the
 * decoding, and the discarded memories keep the garbage collector busy: a corpus of short MP3
 * or Opus clips spent most of its time there.
 *
 * Each decoder takes its WASMAudioDecoderCommon from a static property of its class (the hook
 * the family's own web-worker builds use). `recycleWasmInstances` puts one there that hands out
 * an idle instance of the same WASM module when there is one, and takes the instance back when
 * the decoder frees its heap allocations. The codec's own state is destroyed and created by the
 * decoder as on a fresh instance, so a recycled instance decodes the same samples
 * (test/unit/audio/decoder-reuse.test.ts). The MPEG decoder frees its C state struct twice (the
 * C destroy function frees it, then the JavaScript free does), which costs nothing on a
 * throw-away instance but corrupts a reused one's heap: the second free is dropped. An instance
 * still retires after MAX_USES decoders, so a leak in a codec's C shim cannot exhaust its fixed
 * heap (the Opus shim's did; Opus now keeps its own instance, libopus.ts).
 * At most IDLE_PER_MODULE idle instances per module are kept, so memory stays bounded.
 */
import { WASMAudioDecoderCommon } from '@wasm-audio-decoders/common';

/** The part of WASMAudioDecoderCommon's instances this module touches. */
interface Common {
  _wasm: WasmInstance;
  _pointers: Set<number>;
  instantiate(emscriptenWasm: unknown, module: unknown): Promise<Common>;
  free(): void;
}

type WasmInstance = Record<PropertyKey, unknown>;


const IDLE_PER_MODULE = 2;
const MAX_USES = 100;
const idleByModule = new Map<unknown, WasmInstance[]>();
const uses = new WeakMap<WasmInstance, number>();

/** Idle instances held across all modules (memory stays bounded: tests read it). */
export function idleWasmInstances(): number {
  let n = 0;
  for (const list of idleByModule.values()) n += list.length;
  return n;
}

/** The C functions that free a decoder's state struct themselves. */
const destroysStruct = (name: PropertyKey): boolean => name === 'mpeg_frame_decoder_destroy';

/** The instance, with `free` of a struct its destroy function already freed made a no-op. */
function guarded(raw: WasmInstance): WasmInstance {
  const destroyed = new Set<number>();
  const methods = new Map<PropertyKey, unknown>();
  return new Proxy(raw, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (typeof value !== 'function') return value;
      let method = methods.get(name);
      if (!method) {
        const fn = value as (...args: unknown[]) => unknown;
        if (name === 'free') {
          method = (ptr: number) => (destroyed.delete(ptr) ? undefined : fn.call(target, ptr));
        } else if (destroysStruct(name)) {
          method = (ptr: number, ...rest: unknown[]) => {
            destroyed.add(ptr);
            return fn.call(target, ptr, ...rest);
          };
        } else {
          method = fn.bind(target);
        }
        methods.set(name, method);
      }
      return method;
    },
  });
}

function RecyclingCommon(): Common {
  const common = new (WASMAudioDecoderCommon as new () => Common)();
  const instantiate = common.instantiate;
  const free = common.free;
  let moduleKey: unknown;
  common.instantiate = async (emscriptenWasm, module) => {
    moduleKey = emscriptenWasm;
    const idle = idleByModule.get(emscriptenWasm)?.pop();
    if (idle) {
      common._wasm = idle;
      common._pointers = new Set();
    } else {
      await instantiate(emscriptenWasm, module);
      common._wasm = guarded(common._wasm);
    }
    uses.set(common._wasm, (uses.get(common._wasm) ?? 0) + 1);
    return common;
  };
  // Decoders free their codec state around this call, synchronously, so nothing can take the
  // instance in between.
  common.free = () => {
    free();
    const wasm = common._wasm;
    const idle = idleByModule.get(moduleKey) ?? [];
    idleByModule.set(moduleKey, idle);
    if (idle.length < IDLE_PER_MODULE && (uses.get(wasm) ?? 0) < MAX_USES && !idle.includes(wasm)) idle.push(wasm);
  };
  return common;
}
// The decoders call the common class's static helpers through the hook too.
Object.setPrototypeOf(RecyclingCommon, WASMAudioDecoderCommon as object);

/** Makes every decoder of these classes reuse idle WASM instances (idempotent). */
export function recycleWasmInstances(...classes: object[]): void {
  for (const c of classes) (c as { WASMAudioDecoderCommon?: unknown }).WASMAudioDecoderCommon = RecyclingCommon;
}
