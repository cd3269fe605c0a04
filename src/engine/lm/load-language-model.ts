/**
 * Opens a language model from a path: a folder with `lm.json` (the cloud model that training/lm/train.py
 * builds) or an ARPA file (`.arpa`, as SRILM and KenLM write them). Anything else is refused with the reason.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { ArpaLanguageModel, parseArpa } from './arpa';
import type { LanguageModel } from './language-model';
import { NeuralLanguageModel } from './neural-lm';
import { readWordPieces } from './word-pieces';

export const LM_JSON = 'lm.json';

const lmJsonSchema = z.object({
  type: z.literal('earshot-lm'),
  architecture: z.literal('lstm'),
  model: z.string(),
  tokenizer: z.string(),
  vocab_size: z.number().int().positive(),
  layers: z.number().int().positive(),
  dim: z.number().int().positive(),
  bos_id: z.number().int().nonnegative(),
  eos_id: z.number().int().nonnegative(),
  unk_id: z.number().int().nonnegative(),
});

/** A folder holds a language model (not a recogniser) when it has lm.json. */
export const isLanguageModelDir = (dir: string): boolean => existsSync(join(dir, LM_JSON));

export function loadLanguageModel(path: string): LanguageModel {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) throw new Error(`no language model at ${path}: no such file or folder`);
  if (info.isDirectory()) {
    if (!isLanguageModelDir(path)) throw new Error(`${path} is not a language model folder (it has no ${LM_JSON}; build one with training/lm/train.py)`);
    let parsed: z.infer<typeof lmJsonSchema>;
    try {
      parsed = lmJsonSchema.parse(JSON.parse(readFileSync(join(path, LM_JSON), 'utf8')));
    } catch (error) {
      throw new Error(`${join(path, LM_JSON)} is not a valid Earshot language model description: ${error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (error as Error).message}`);
    }
    for (const file of [parsed.model, parsed.tokenizer]) {
      if (!existsSync(join(path, file))) throw new Error(`${path} lacks ${file}, which ${LM_JSON} names`);
    }
    const pieces = readWordPieces(readFileSync(join(path, parsed.tokenizer), 'utf8'), parsed.unk_id);
    if (pieces.scores.length !== parsed.vocab_size) throw new Error(`${join(path, parsed.tokenizer)} holds ${pieces.scores.length} pieces, ${LM_JSON} says ${parsed.vocab_size}`);
    return new NeuralLanguageModel(basename(path), path, join(path, parsed.model), pieces, {
      layers: parsed.layers,
      dim: parsed.dim,
      vocabSize: parsed.vocab_size,
      bosId: parsed.bos_id,
      eosId: parsed.eos_id,
    });
  }
  if (/\.arpa$/i.test(path)) return new ArpaLanguageModel(basename(path), path, parseArpa(readFileSync(path, 'utf8'), path));
  throw new Error(`${path} is not a language model: give a folder with ${LM_JSON} or an ARPA file ending in .arpa`);
}
