/**
 * Earshot's `model.json`, checked at load with a schema, so a value that would give absurd
 * token times, fail every utterance inside onnxruntime, or break the fbank step is refused
 * before any session is created, with a message naming the field.
 */
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from '../audio/limits';
import { resolveFbankOptions } from '../features/fbank-options';
import { jsonProblem } from '../session/json-problem';

/** Milliseconds that can be a frame length or shift: above 0, at most one second. */
const milliseconds = z.number().positive().max(1000);
const count = (max: number) => z.int().min(1).max(max);
/** A graph is named relative to the model folder and must stay inside it. */
const graphFile = z
  .string()
  .min(1)
  .refine((f) => !isAbsolute(f) && !f.split(/[\\/]/).includes('..'), 'must name a file inside the model folder');

const featuresSchema = z
  .looseObject({
    sample_rate: z.int().min(MIN_SAMPLE_RATE).max(MAX_SAMPLE_RATE).optional(),
    num_mel_bins: z.int().min(3).max(1024).optional(),
    frame_length_ms: milliseconds.optional(),
    frame_shift_ms: milliseconds.optional(),
    window: z.enum(['povey', 'hamming', 'hanning', 'rectangular', 'blackman']).optional(),
    window_type: z.enum(['povey', 'hamming', 'hanning', 'rectangular', 'blackman']).optional(),
    preemphasis: z.number().min(0).max(1).optional(),
    preemphasis_coefficient: z.number().min(0).max(1).optional(),
    remove_dc_offset: z.boolean().optional(),
    dither: z.number().min(0).max(1).optional(),
    low_freq: z.number().min(0).max(MAX_SAMPLE_RATE / 2).optional(),
    high_freq: z.number().min(-MAX_SAMPLE_RATE / 2).max(MAX_SAMPLE_RATE / 2).optional(),
    snip_edges: z.boolean().optional(),
    energy_floor: z.number().min(0).optional(),
    use_energy: z.boolean().optional(),
  })
  .superRefine((f, ctx) => {
    // The combination (window in samples, filter edges under Nyquist) as the fbank step checks it.
    const defined = Object.entries({
      sampleFrequency: f.sample_rate,
      frameLength: f.frame_length_ms,
      frameShift: f.frame_shift_ms,
      numMelBins: f.num_mel_bins,
      lowFreq: f.low_freq,
      highFreq: f.high_freq,
    }).filter(([, v]) => v !== undefined);
    try {
      resolveFbankOptions(Object.fromEntries(defined));
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^fbank: /, '') });
    }
  });

export const modelJsonSchema = z.looseObject({
  format: z.literal('earshot-rnnt', { error: (issue) => `is ${JSON.stringify(issue.input)}, expected "earshot-rnnt"` }),
  version: z.union([z.number(), z.string()]).optional(),
  name: z.string().min(1).optional(),
  features: featuresSchema.optional(),
  chunk: z
    .looseObject({
      T: count(100_000).optional(),
      decode_chunk_len: count(100_000).optional(),
      subsampling: count(64).optional(),
      /** Seconds per encoder frame × 1000: every token time is a multiple of it. */
      frame_shift_ms: milliseconds.optional(),
    })
    .optional(),
  context_size: count(100).optional(),
  blank_id: z.int().min(0).optional(),
  vocab_size: count(10_000_000).optional(),
  default_variant: z.string().min(1).optional(),
  variants: z
    .record(
      z.string(),
      z.looseObject({
        encoder: graphFile.optional(),
        decoder: graphFile.optional(),
        joiner: graphFile.optional(),
        context_encoder: graphFile.optional(),
        bias: graphFile.optional(),
      }),
    )
    .refine((v) => Object.keys(v).length > 0, 'names no variant'),
  encoder: z.looseObject({ layers: count(10_000).optional(), hidden: count(1_000_000).optional(), joiner_dim: count(1_000_000).optional() }).optional(),
  eoq: z.looseObject({ output: z.string().min(1).optional(), default_threshold: z.number().min(0).max(1).optional() }).optional(),
  // `decode` is advice: model-dir.ts takes the values the contract accepts and ignores the rest.
});

export type ModelJson = z.output<typeof modelJsonSchema>;

/** A model.json problem; model-dir.ts turns it into its ModelDirError. */
export class ModelJsonError extends Error {
  readonly code = 'bad-model';
}

function describe(path: string, error: z.ZodError): string {
  const fields = error.issues.map((issue) => issue.path.map(String).join('.'));
  // The combined features check repeats what a field's own issue already says.
  const own = error.issues.filter((issue, i) => issue.code !== 'custom' || !fields.some((f) => f.startsWith(`${fields[i]}.`)));
  const issues = own.slice(0, 3).map((issue) => {
    const field = issue.path.map(String).join('.');
    const message = issue.message.replace(/^Invalid input: /, '').replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase());
    return field ? `"${field}" ${message}` : message;
  });
  const more = own.length > 3 ? ` (and ${own.length - 3} more)` : '';
  return `${path}: ${issues.join('; ')}${more}`;
}

/** Parses and checks model.json text; `path` names the file in errors. */
export function parseModelJson(text: string, path: string): ModelJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModelJsonError(`${path} ${jsonProblem(error, text)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ModelJsonError(`${path} must hold a JSON object (the model's description), not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  const checked = modelJsonSchema.safeParse(value);
  if (!checked.success) throw new ModelJsonError(describe(path, checked.error));
  return checked.data;
}

/** What model.json says that must agree with tokens.txt (the vocabulary is known only then). */
export function checkModelJsonTokens(json: ModelJson, vocabulary: number, path: string): void {
  if (json.blank_id !== undefined && json.blank_id >= vocabulary) {
    throw new ModelJsonError(`${path}: "blank_id" is ${json.blank_id}, outside tokens.txt's ${vocabulary} ids (0–${vocabulary - 1})`);
  }
  if (json.vocab_size !== undefined && json.vocab_size !== vocabulary) {
    throw new ModelJsonError(`${path}: "vocab_size" is ${json.vocab_size} but tokens.txt has ${vocabulary} tokens`);
  }
}
