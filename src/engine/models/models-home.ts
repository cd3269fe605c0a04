import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Earshot's folder in the platform's data directory: $XDG_DATA_HOME/earshot (~/.local/share
 * on Linux), ~/Library/Application Support/Earshot on macOS, %APPDATA%\Earshot on Windows.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Earshot');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Earshot');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'earshot');
}

/** The user's models folder: EARSHOT_MODELS_DIR when set (tests, portable installs), else `models` in the data folder. */
export function userModelsDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.EARSHOT_MODELS_DIR) return resolve(env.EARSHOT_MODELS_DIR);
  return join(userDataDir(env, platform, home), 'models');
}

/** Where the live microphone's utterances go (a manifest and WAVs): EARSHOT_LIVE_DIR when set, else `live` in the data folder. */
export function liveDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.EARSHOT_LIVE_DIR) return resolve(env.EARSHOT_LIVE_DIR);
  return join(userDataDir(env, platform, home), 'live');
}
