import type { Handlers } from '../dispatch';
import type { Workspace } from '../workspace';
import { analysisHandlers } from './analysis-handlers';
import { appHandlers } from './app-handlers';
import { audioHandlers } from './audio-handlers';
import { browseHandlers } from './browse-handlers';
import { modelHandlers } from './model-handlers';
import { modelLibraryHandlers } from './model-library-handlers';
import { rescoreHandlers } from './rescore-handlers';
import { sessionHandlers } from './session-handlers';
import { liveHandlers } from './live-handlers';
import type { LiveSessions } from '../live-sessions';
import { runHandlers } from './run-handlers';

/** Every API method's handler, grouped by domain; the workspace is the host's one state, beside the live microphone sessions. */
export function createHandlers(workspace: Workspace, live: LiveSessions): Handlers {
  return {
    ...appHandlers,
    ...audioHandlers,
    ...browseHandlers,
    ...modelHandlers,
    ...modelLibraryHandlers,
    ...rescoreHandlers,
    ...analysisHandlers(workspace),
    ...sessionHandlers(workspace),
    ...liveHandlers(live),
    ...runHandlers(workspace),
  };
}
