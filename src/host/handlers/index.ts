import type { Handlers } from '../dispatch';
import { appHandlers } from './app-handlers';
import { audioHandlers } from './audio-handlers';

/** Every API method's handler, grouped by domain. */
export const handlers: Handlers = {
  ...appHandlers,
  ...audioHandlers,
};
