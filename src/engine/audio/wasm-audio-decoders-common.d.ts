// The package's types declare only DecodeError; its index also exports the class every decoder
// of the family builds on, which wasm-instance-pool.ts wraps.
declare module '@wasm-audio-decoders/common' {
  export const WASMAudioDecoderCommon: unknown;
}
