import type { DecodeOptions } from '../../shared/api';
import type { Utterance } from '../../shared/domain/session';

/** The biasing list for an utterance: the user's list plus the utterance's own names, once each. */
export function withUtteranceContext(decoding: DecodeOptions, utterance: Utterance): DecodeOptions {
  const names = new Set(decoding.context.map((c) => c.phrase));
  const extra = (utterance.context ?? []).filter((name) => !names.has(name)).map((phrase) => ({ phrase }));
  return { ...decoding, context: [...decoding.context, ...extra] };
}
