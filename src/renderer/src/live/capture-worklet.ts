/**
 * The microphone's audio thread: copies the input's first channel (mono capture) into blocks
 * of BLOCK frames and posts each to the page, which levels, chunks and sends them. Runs in the
 * AudioWorkletGlobalScope (declared in audio-worklet.d.ts), loaded by microphone.ts.
 */
const BLOCK = 1024;

class CaptureProcessor extends AudioWorkletProcessor {
  private block = new Float32Array(BLOCK);
  private filled = 0;

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (!channel) return true;
    for (let at = 0; at < channel.length; ) {
      const take = Math.min(BLOCK - this.filled, channel.length - at);
      this.block.set(channel.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
      if (this.filled === BLOCK) {
        this.port.postMessage(this.block, [this.block.buffer]);
        this.block = new Float32Array(BLOCK);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('earshot-capture', CaptureProcessor);
