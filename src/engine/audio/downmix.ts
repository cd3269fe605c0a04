/** Which channel to keep: an index, or the average of all of them. */
export type ChannelChoice = number | 'mix';

/**
 * One planar block to mono: the mean of the channels (so a mix stays in [-1, 1]), or one
 * channel as is. The caller checks that a numeric choice exists.
 */
export function downmix(channels: Float32Array[], choice: ChannelChoice): Float32Array {
  if (choice !== 'mix') return channels[choice];
  if (channels.length === 1) return channels[0];
  const length = channels[0].length;
  const out = new Float32Array(length);
  for (const channel of channels) {
    for (let i = 0; i < length; i++) out[i] += channel[i];
  }
  const scale = 1 / channels.length;
  for (let i = 0; i < length; i++) out[i] *= scale;
  return out;
}
