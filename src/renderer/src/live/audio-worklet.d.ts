/** The AudioWorkletGlobalScope's names, which TypeScript's DOM library leaves out. */
declare abstract class AudioWorkletProcessor {
  readonly port: MessagePort;
  abstract process(inputs: Float32Array[][], outputs: Float32Array[][], parameters: Record<string, Float32Array>): boolean;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;

/** Vite bundles a module imported with `?worker&url` on its own and gives its URL. */
declare module '*?worker&url' {
  const url: string;
  export default url;
}
