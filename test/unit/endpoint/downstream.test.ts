import { describe, expect, it } from 'vitest';
import { simulateDownstream } from '../../../src/engine/endpoint/downstream';
import type { EndpointEvent } from '../../../src/shared/domain/endpoint';

const at = (type: EndpointEvent['type'], timeS: number): EndpointEvent => ({ type, timeS, frame: Math.round(timeS / 0.04), text: '' });

describe('downstream simulation', () => {
  it('starting at the speculative fire saves the speculative-to-final gap', () => {
    const out = simulateDownstream([at('speculative', 1.0), at('final', 1.2)], 0.3);
    expect(out.baselineReadyS).toBeCloseTo(1.5);
    expect(out.readyS).toBeCloseTo(1.3);
    expect(out.savedS).toBeCloseTo(0.2);
    expect(out.wastedS).toBe(0);
  });

  it('an answer that finished early still waits for the final confirmation', () => {
    const out = simulateDownstream([at('speculative', 1.0), at('final', 1.5)], 0.3);
    expect(out.readyS).toBeCloseTo(1.5);
    expect(out.savedS).toBeCloseTo(0.3);
  });

  it('a reset throws away the work done so far', () => {
    const out = simulateDownstream([at('speculative', 1.0), at('reset', 1.1), at('speculative', 2.0), at('final', 2.4)], 0.3);
    expect(out.wastedS).toBeCloseTo(0.1);
    expect(out.savedS).toBeCloseTo(0.3);
  });

  it('a revise wastes the speculative work and restarts on the final text', () => {
    const out = simulateDownstream([at('speculative', 1.0), at('revise', 1.5), at('final', 1.5)], 0.3);
    expect(out.wastedS).toBeCloseTo(0.3);
    expect(out.savedS).toBe(0);
  });

  it('without a final decision nothing is ready', () => {
    expect(simulateDownstream([at('speculative', 1.0)], 0.3)).toEqual({ baselineReadyS: null, readyS: null, savedS: 0, wastedS: 0.3 });
  });
});
