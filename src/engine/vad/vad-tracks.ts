import type { VadTracks } from '../../shared/domain/decode';
import { sileroTrack } from './silero-vad';
import { webrtcTrack } from './webrtc-vad';

/** Both detectors over one utterance's 16 kHz samples, for the VAD end-pointers and labels. */
export async function vadTracks(samples: Float32Array): Promise<VadTracks> {
  return { silero: sileroTrack(samples), webrtc: await webrtcTrack(samples) };
}
