/** The two IPC channels between preload and main; everything else is the protocol. */
export const TO_HOST_CHANNEL = 'earshot:to-host';
export const FROM_HOST_CHANNEL = 'earshot:from-host';
