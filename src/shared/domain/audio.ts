/** What a recording's header says, without decoding it. */
export interface RecordingInfo {
  path: string;
  name: string;
  /** Container/codec, e.g. "wav/pcm16", "flac", "mp3", "ogg/vorbis", "ogg/opus". */
  format: string;
  sampleRate: number;
  channels: number;
  bitsPerSample?: number;
  durationS: number;
  sizeBytes: number;
}

/**
 * A recording's waveform in the form wavesurfer.js 7 takes in `load(url, peaks, duration)`:
 * one array per channel, each value the sample of largest magnitude in its bucket (signed),
 * exactly what `WaveSurfer.exportPeaks()` produces.
 */
export interface WaveformPeaks {
  durationS: number;
  sampleRate: number;
  channels: number;
  /** Source samples summarised by each value. */
  samplesPerPeak: number;
  peaks: number[][];
}
