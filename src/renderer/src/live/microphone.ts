/**
 * The microphone through Web Audio: getUserMedia (Electron grants it to the app's own origin only;
 * a browser asks the user, and http://127.0.0.1 is a secure context), an AudioWorklet that posts
 * the samples, and the list of input devices to choose from.
 */
import workletUrl from './capture-worklet.ts?worker&url';

export interface MicrophoneDevice {
  deviceId: string;
  label: string;
}

export interface Microphone {
  /** The capture rate: the engine resamples from it to 16 kHz. */
  sampleRate: number;
  /** The device's name, as the browser gives it. */
  label: string;
  stop(): Promise<void>;
}

/** The audio inputs; labels are empty until the user has allowed the microphone once. */
export async function listMicrophones(): Promise<MicrophoneDevice[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((d) => d.kind === 'audioinput').map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Microphone ${i + 1}` }));
}

/**
 * Opens the device (the default one for '') and calls `onBlock` with its samples, mono, at the
 * context's rate (known before the device opens, so the engine can be made ready for it first).
 * The microphone owns the context from here on: stopping it, or failing to open, closes it.
 */
export async function openMicrophone(deviceId: string, onBlock: (block: Float32Array) => void, context: AudioContext): Promise<Microphone> {
  if (!navigator.mediaDevices?.getUserMedia) {
    await context.close();
    throw new Error('this page cannot use a microphone: it needs a secure context (the app, or http://127.0.0.1)');
  }
  // The recognizer wants the signal as spoken: no echo cancellation, noise suppression or gain riding.
  const stream = await navigator.mediaDevices
    .getUserMedia({ audio: { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false } })
    .catch(async (error: unknown) => {
      await context.close();
      throw error;
    });
  try {
    await context.audioWorklet.addModule(workletUrl);
    const source = context.createMediaStreamSource(stream);
    const capture = new AudioWorkletNode(context, 'earshot-capture', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: 'explicit' });
    // A node reaches the destination, or the graph may never pull it; muted, so nothing is heard.
    const mute = new GainNode(context, { gain: 0 });
    capture.port.onmessage = (event: MessageEvent<Float32Array>) => onBlock(event.data);
    source.connect(capture).connect(mute).connect(context.destination);
    await context.resume();
    return {
      sampleRate: context.sampleRate,
      label: stream.getAudioTracks()[0]?.label ?? '',
      async stop() {
        capture.port.onmessage = null;
        source.disconnect();
        for (const track of stream.getTracks()) track.stop();
        await context.close();
      },
    };
  } catch (error) {
    for (const track of stream.getTracks()) track.stop();
    await context.close();
    throw error;
  }
}
