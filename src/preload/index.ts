import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createApiClient } from '@shared/client';
import type { FromHostMessage } from '@shared/protocol';
import type { PathPickRequest } from '@shared/path-pick';
import { FROM_HOST_CHANNEL, PICK_PATH_CHANNEL, TO_HOST_CHANNEL } from '../main/ipc-channels';

/** Exposes the typed API as `window.earshot`; the renderer never sees ipcRenderer. */
const api = createApiClient({
  send: (message) => ipcRenderer.send(TO_HOST_CHANNEL, message),
  onMessage: (handler) => {
    ipcRenderer.on(FROM_HOST_CHANNEL, (_event, message: FromHostMessage) => handler(message));
  },
});

contextBridge.exposeInMainWorld('earshot', {
  call: api.call,
  cancel: api.cancel,
});

// Pages never see the paths of dropped files; Electron can tell the path of a File it was handed.
contextBridge.exposeInMainWorld('earshotFiles', {
  pathForFile: (file: File) => webUtils.getPathForFile(file),
  pickPath: (request: PathPickRequest): Promise<string | null> => ipcRenderer.invoke(PICK_PATH_CHANNEL, request),
});
