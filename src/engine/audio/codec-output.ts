/** What a compressed-audio decoder returns for a piece of the file. */
export interface CodecOutput {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  /** Damaged frames (the decoder skipped them). */
  errors: { message: string }[];
  /** Other things the decoder had to work around, each said once (damaged or truncated pages). */
  warnings?: string[];
}
