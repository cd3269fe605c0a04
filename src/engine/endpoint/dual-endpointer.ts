import type { EndpointConfig, EndpointEvent, EndpointKnobs } from '../../shared/domain/endpoint';
import { normalizeWords } from '../metrics/wer';
import { createEndpointScanner } from './decide-endpoint';
import { configFromKnobs } from './endpoint-config';
import { decisionTimeS, hypothesisAt, type EndpointStream } from './endpoint-stream';

export interface EndpointConfigPair {
  speculative: EndpointConfig;
  final: EndpointConfig;
}

/** The pair the API carries as knobs (`endpointPairSchema`), as rules. */
export function configPairFromKnobs(pair: { speculative: EndpointKnobs; final: EndpointKnobs }): EndpointConfigPair {
  return { speculative: configFromKnobs(pair.speculative, 'speculative'), final: configFromKnobs(pair.final, 'final') };
}

export interface DualRun {
  events: EndpointEvent[];
  /** Frame of the last speculative fire that stood until the final decision (or the end). */
  speculativeFrame: number | null;
  /** Frame of the first speculative fire, for the speculative end-pointer's own latency. */
  firstSpeculativeFrame: number | null;
  finalFrame: number | null;
  speculativeFires: number;
  /** Speculative fires undone: speech resumed, or the final text differed. */
  resets: number;
}

/**
 * Runs both end-pointers over one stream, as on the device. The speculative one fires first;
 * if a token is emitted after it fired (speech resumed) downstream is told to `reset`, and it
 * may fire again once its rule has stopped holding and holds anew (no fire/reset loop on one
 * long pause). When the final one fires, a speculative text that differs from the final one
 * is replaced by a `revise` event. The stream ends at the final decision.
 */
export function runDualEndpointer(stream: EndpointStream, pair: EndpointConfigPair): DualRun {
  const speculative = createEndpointScanner(stream.trace, pair.speculative);
  const final = createEndpointScanner(stream.trace, pair.final);
  const events: EndpointEvent[] = [];
  const event = (type: EndpointEvent['type'], frame: number, extra: Partial<EndpointEvent> = {}): EndpointEvent => {
    const e: EndpointEvent = { type, frame, timeS: decisionTimeS(stream, frame), text: hypothesisAt(stream, frame), ...extra };
    events.push(e);
    return e;
  };
  let standing: EndpointEvent | null = null;
  let firstSpeculativeFrame: number | null = null;
  let mustRearm = false;
  let speculativeFires = 0;
  let resets = 0;
  for (let t = 0; t < stream.trace.numFrames; t++) {
    const speculativeRule = speculative.step(t);
    const finalRule = final.step(t);
    if (standing !== null && stream.trace.emitted[t] > 0) {
      event('reset', t, { reason: 'speech-resumed' });
      resets++;
      standing = null;
      mustRearm = true;
    }
    if (speculativeRule === null) mustRearm = false;
    else if (standing === null && !mustRearm) {
      standing = event('speculative', t, { rule: speculativeRule });
      firstSpeculativeFrame ??= t;
      speculativeFires++;
    }
    if (finalRule !== null) {
      const finalText = hypothesisAt(stream, t);
      if (standing !== null && !sameWords(standing.text, finalText)) {
        event('revise', t, { reason: 'text-changed' });
        resets++;
      }
      event('final', t, { rule: finalRule });
      return { events, speculativeFrame: standing?.frame ?? null, firstSpeculativeFrame, finalFrame: t, speculativeFires, resets };
    }
  }
  return { events, speculativeFrame: standing?.frame ?? null, firstSpeculativeFrame, finalFrame: null, speculativeFires, resets };
}

function sameWords(a: string, b: string): boolean {
  const x = normalizeWords(a);
  const y = normalizeWords(b);
  return x.length === y.length && x.every((word, i) => word === y[i]);
}
