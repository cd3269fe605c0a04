import { dialog, type BrowserWindow } from 'electron';
import type { PathPickRequest } from '@shared/path-pick';

const SESSION_FILTER = { name: 'Earshot session', extensions: ['json'] };
const MANIFEST_FILTER = { name: 'Manifest or data list', extensions: ['jsonl', 'json', 'scp'] };

/** The platform's open and save dialogs for what the window asked; null when the user cancels. */
export async function pickPath(window: BrowserWindow, request: PathPickRequest): Promise<string | null> {
  const { purpose, title, defaultPath } = request;
  if (purpose === 'save-session') {
    const result = await dialog.showSaveDialog(window, { title: title ?? 'Save the session', defaultPath, filters: [SESSION_FILTER] });
    return result.canceled || !result.filePath ? null : result.filePath;
  }
  const properties: ('openFile' | 'openDirectory')[] =
    purpose === 'open-dataset' ? ['openFile', 'openDirectory'] : purpose === 'choose-folder' ? ['openDirectory'] : ['openFile'];
  const filters = purpose === 'open-session' ? [SESSION_FILTER] : purpose === 'open-dataset' ? [MANIFEST_FILTER, { name: 'All files', extensions: ['*'] }] : [];
  const result = await dialog.showOpenDialog(window, { title, defaultPath, properties, filters });
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
