import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { DecodeResult } from '../../../src/shared/domain/decode';
import type { Session } from '../../../src/shared/domain/session';
import { decodeResultSchema } from '../../../src/engine/session/decode-result-schema';
import { sessionSchema, type SessionData } from '../../../src/engine/session/session-schema';
import { sampleSession } from './session-fixtures';

describe('session schema', () => {
  it('derives types that agree with the shared ones', () => {
    expectTypeOf<SessionData>().toExtend<Session>();
    expectTypeOf<Session>().toExtend<z.input<typeof sessionSchema>>();
    expectTypeOf<z.output<typeof decodeResultSchema>>().toExtend<DecodeResult>();
    expectTypeOf<DecodeResult>().toExtend<z.input<typeof decodeResultSchema>>();
  });

  it('accepts a well-formed session unchanged', () => {
    const session = sampleSession();
    expect(sessionSchema.parse(session)).toEqual(session);
  });

  it('reports dangling references', () => {
    const session = sampleSession();
    const bad = { ...session, utterances: [{ ...session.utterances[0], recordingId: 'nope' }], annotations: { ghost: { tags: [], notes: 'x', flags: [] } } };
    const result = sessionSchema.safeParse(bad);
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((i) => i.message) ?? [];
    expect(messages).toContain('no recording has id "nope"');
    expect(messages).toContain('no utterance has id "ghost"');
  });
});
