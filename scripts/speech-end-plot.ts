/** An SVG to check one speech-end label by eye: waveform, the three detectors, the estimates and the label. */
import type { VadTracks } from '../src/shared/domain/decode';
import type { SpeechEndLabel } from '../src/engine/endpoint/speech-end-labels';

const W = 900;
const ROW = 60;

export function speechEndPlot(samples: Float32Array, vad: VadTracks, energiesDb: Float64Array, energySpeech: Uint8Array, label: number | null, derived: SpeechEndLabel, human: number | null, title: string): string {
  const duration = samples.length / 16000;
  const x = (t: number): number => 10 + (t / duration) * (W - 20);
  const parts: string[] = [];
  // Waveform envelope, 10 ms columns.
  const hop = 160;
  let wave = '';
  for (let f = 0; f * hop < samples.length; f++) {
    let peak = 0;
    for (let i = f * hop; i < Math.min(samples.length, (f + 1) * hop); i++) peak = Math.max(peak, Math.abs(samples[i]));
    const h = Math.min(1, peak) * (ROW / 2 - 2);
    wave += `M${x(f * 0.01).toFixed(1)},${30 + ROW / 2 - h}v${(2 * h).toFixed(1)}`;
  }
  parts.push(`<path d="${wave}" stroke="#555" stroke-width="1"/>`);
  const track = (y: number, values: ArrayLike<number>, shift: number, colour: string, name: string): void => {
    let d = '';
    for (let i = 0; i < values.length; i++) d += `${i === 0 ? 'M' : 'L'}${x(i * shift).toFixed(1)},${(y + ROW - 4 - values[i] * (ROW - 8)).toFixed(1)}L${x((i + 1) * shift).toFixed(1)},${(y + ROW - 4 - values[i] * (ROW - 8)).toFixed(1)}`;
    parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.5"/><text x="12" y="${y + 12}" font-size="11">${name}</text>`);
  };
  if (vad.silero) track(30 + ROW, vad.silero.speechProb, vad.silero.frameShiftS, '#1b7f3b', 'Silero P(speech)');
  if (vad.webrtc) track(30 + 2 * ROW, vad.webrtc.speechProb, vad.webrtc.frameShiftS, '#1f5fbf', 'WebRTC speech');
  const lo = Math.min(...energiesDb);
  const hi = Math.max(...energiesDb);
  track(30 + 3 * ROW, Array.from(energiesDb, (e) => (e - lo) / Math.max(1e-6, hi - lo)), 0.01, '#999', 'energy (dB, scaled)');
  track(30 + 3 * ROW, energySpeech, 0.01, '#c77700', '');
  const line = (t: number | null, colour: string, dash: string, name: string, dy: number): void => {
    if (t === null) return;
    parts.push(`<line x1="${x(t)}" x2="${x(t)}" y1="28" y2="${30 + 4 * ROW}" stroke="${colour}" stroke-width="1.5" stroke-dasharray="${dash}"/><text x="${x(t) + 3}" y="${30 + 4 * ROW + dy}" font-size="10" fill="${colour}">${name} ${t.toFixed(2)}</text>`);
  };
  line(derived.estimates.silero, '#1b7f3b', '4 3', 'silero', 12);
  line(derived.estimates.webrtc, '#1f5fbf', '4 3', 'webrtc', 24);
  line(derived.estimates.energy, '#c77700', '4 3', 'energy', 36);
  line(human, '#000', '', 'hand label', 48);
  line(label, '#d00', '', 'label', 60);
  const height = 30 + 4 * ROW + 70;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}"><rect width="100%" height="100%" fill="#fff"/><text x="10" y="18" font-size="12">${title.replace(/&/g, '&amp;').replace(/</g, '&lt;')} (agreement ${derived.agreement}/3, ${duration.toFixed(2)} s)</text>${parts.join('')}</svg>\n`;
}
