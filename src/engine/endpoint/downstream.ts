import type { DownstreamOutcome, EndpointEvent } from '../../shared/domain/endpoint';

/**
 * Downstream (NLU) that takes `workS` per request, fed by the end-pointer events.
 * Without speculation it starts at the final decision. With it, it starts at a speculative
 * fire; a reset or revise throws away the work done so far (up to `workS`) and, after a
 * revise, it restarts on the final text. An answer started speculatively is released once
 * the final decision confirms it, so it is ready at max(start + work, final).
 */
export function simulateDownstream(events: readonly EndpointEvent[], workS: number): DownstreamOutcome {
  let startedS: number | null = null;
  let wastedS = 0;
  for (const event of events) {
    if (event.type === 'speculative') startedS = event.timeS;
    else if ((event.type === 'reset' || event.type === 'revise') && startedS !== null) {
      wastedS += Math.min(workS, Math.max(0, event.timeS - startedS));
      startedS = null;
    } else if (event.type === 'final') {
      const baselineReadyS = event.timeS + workS;
      const readyS = startedS === null ? baselineReadyS : Math.max(startedS + workS, event.timeS);
      return { baselineReadyS, readyS, savedS: baselineReadyS - readyS, wastedS };
    }
  }
  // No final decision: a speculative answer still standing is never released.
  if (startedS !== null) wastedS += workS;
  return { baselineReadyS: null, readyS: null, savedS: 0, wastedS };
}
