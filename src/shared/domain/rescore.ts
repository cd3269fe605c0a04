/** What the workbench's "cloud" toggle shows: the lattice rescored by the cloud language model. */
import type { Lattice } from './decode';

export interface LanguageModelRef {
  name: string;
  kind: 'neural' | 'arpa';
  path: string;
}

export interface RescoredEntry {
  text: string;
  /** acoustic + bias + lmWeight × lm − insertionPenalty × words. */
  score: number;
  acousticScore: number;
  biasScore: number;
  /** Natural-log LM score of the whole sentence, its end included. */
  lmScore: number;
}

export type CloudRescoring =
  | {
      lm: LanguageModelRef;
      lmWeight: number;
      insertionPenalty: number;
      firstPass: string;
      rescored: string;
      /** Best first under the rescored score. */
      nbest: RescoredEntry[];
      /** The lattice with `lmScore` on the arcs of the rescored paths. */
      lattice: Lattice;
      ms: number;
    }
  | {
      lm: null;
      /** The folders searched for a language model (a folder with lm.json). */
      searched: string[];
    };
