/** The IPC channels between preload and main: the protocol's two, and the native file dialogs. */
export const TO_HOST_CHANNEL = 'earshot:to-host';
export const FROM_HOST_CHANNEL = 'earshot:from-host';
export const PICK_PATH_CHANNEL = 'earshot:pick-path';
