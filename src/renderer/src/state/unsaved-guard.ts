import { reactive } from 'vue';
import type { SessionState } from '../session/session-state';

/** A step that would replace the session in the window, waiting for the researcher's word. */
export interface PendingLeave {
  /** What the step does, in the researcher's words ("open session.json"). */
  what: string;
  proceed: () => Promise<void>;
}

/**
 * Asks before the window leaves a session with unsaved changes. Annotations are journaled
 * (the autosave offers them back), but applied knobs live only in the window until saved.
 */
export function createUnsavedGuard(session: () => SessionState) {
  const state = reactive<{ pending: PendingLeave | null }>({ pending: null });
  return {
    state,
    /** Runs the step now when nothing is unsaved, else holds it for `decide`. */
    async leave(what: string, proceed: () => Promise<void>): Promise<void> {
      if (!session().dirty) return proceed();
      state.pending = { what, proceed };
    },
    async decide(go: boolean): Promise<void> {
      const pending = state.pending;
      state.pending = null;
      if (go && pending) await pending.proceed();
    },
  };
}

export type UnsavedGuard = ReturnType<typeof createUnsavedGuard>;
