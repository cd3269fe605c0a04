import { z } from 'zod';

/**
 * What the window asks the shell's native file dialog for (Electron). The browser shell has no
 * such dialog: its pages get the host's folder browser instead.
 */
export const pathPickSchema = z
  .object({
    purpose: z.enum(['open-dataset', 'open-session', 'save-session', 'choose-folder']),
    title: z.string().max(200).optional(),
    defaultPath: z.string().max(4096).optional(),
  })
  .strict();

export type PathPickRequest = z.infer<typeof pathPickSchema>;
