import { ApiError } from '@shared/protocol';
import { describeModel } from '@engine/asr/model-info';
import { writeSlf } from '@engine/lattice/slf';
import { writeOpenFst } from '@engine/lattice/openfst';
import { writeLatticeJson } from '@engine/lattice/lattice-json';
import { latticeSchema } from '@engine/session/decode-result-schema';
import { describeIssues } from '@engine/session/describe-issues';
import type { Lattice } from '@shared/domain/decode';
import type { Handlers } from '../dispatch';

const LATTICE_FORMATS = {
  slf: { write: (l: Lattice) => writeSlf(l), mimeType: 'text/plain', extension: 'lat' },
  openfst: { write: (l: Lattice) => writeOpenFst(l), mimeType: 'text/plain', extension: 'fst.txt' },
  json: { write: (l: Lattice) => writeLatticeJson(l), mimeType: 'application/json', extension: 'json' },
} as const;

export const modelHandlers: Pick<Handlers, 'getModelInfo' | 'formatLattice'> = {
  async getModelInfo({ modelDir }, ctx) {
    try {
      return describeModel(ctx.files.check(modelDir ?? ctx.paths.modelDir, 'the model folder'));
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('bad-model', error instanceof Error ? error.message : String(error));
    }
  },
  async formatLattice({ lattice, format }) {
    // The lattice comes from the page: every field the writers use must be there, with its type.
    const parsed = latticeSchema.safeParse(lattice);
    if (!parsed.success) throw new ApiError('invalid-params', `invalid params for formatLattice: lattice: ${describeIssues(parsed.error)}`);
    const f = LATTICE_FORMATS[format];
    return { text: f.write(parsed.data), mimeType: f.mimeType, extension: f.extension };
  },
};
