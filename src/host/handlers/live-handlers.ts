import { ApiError } from '@shared/protocol';
import { modelDefaultKnobs } from '@engine/endpoint/model-knobs';
import type { Handlers } from '../dispatch';
import type { LiveSessions } from '../live-sessions';

/** A chunk's base64 text as 16-bit little-endian samples. */
export function pcm16FromBase64(text: string): Int16Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 2 !== 0) throw new ApiError('invalid-params', `invalid params for liveAudio: pcm: ${bytes.length} bytes is not a whole number of 16-bit samples`);
  const samples = new Int16Array(bytes.length / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * 2);
  return samples;
}

export function liveHandlers(live: LiveSessions): Pick<Handlers, 'liveStart' | 'liveAudio' | 'liveStop'> {
  return {
    liveStart({ sessionId, sampleRate, modelDir, decoding, endpoints }, ctx) {
      const dir = ctx.files.check(modelDir ?? ctx.paths.modelDir, 'the model folder');
      return live.start(sessionId, {
        modelDir: dir,
        decoding,
        knobs: endpoints ?? modelDefaultKnobs(dir),
        sampleRate,
        folder: ctx.paths.liveDir,
        signal: ctx.signal,
        emit: (event) => ctx.emit({ kind: 'partial', data: event }),
      });
    },
    async liveAudio({ sessionId, seq, pcm }) {
      return { samples: live.audio(sessionId, seq, pcm16FromBase64(pcm)) };
    },
    async liveStop({ sessionId }) {
      return { stopped: live.stop(sessionId) };
    },
  };
}
