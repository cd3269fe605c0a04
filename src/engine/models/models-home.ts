import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The user's models folder: EARSHOT_MODELS_DIR when set (tests, portable installs), else the
 * platform's data directory — $XDG_DATA_HOME/earshot/models (~/.local/share on Linux),
 * ~/Library/Application Support/Earshot/models on macOS, %APPDATA%\Earshot\models on Windows.
 */
export function userModelsDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.EARSHOT_MODELS_DIR) return resolve(env.EARSHOT_MODELS_DIR);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Earshot', 'models');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Earshot', 'models');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'earshot', 'models');
}
