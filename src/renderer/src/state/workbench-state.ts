import { toRaw } from 'vue';
import type { AppDefaults, EndpointPair, RecordingList } from '@shared/api';
import type { UtteranceAnnotation } from '@shared/domain/session';
import type { EndpointOutcome, SweepResult } from '@shared/domain/endpoint';
import type { DatasetAnalysis, DatasetSummary, EndpointEvaluation, PeaksData, SpectrogramData, UtteranceAnalysis } from '@shared/domain/workbench';
import type { TimeView } from '../lib/time-scale';
import type { SortKey } from '../lib/utterance-rows';
import type { SessionState } from '../session/session-state';
import type { SearchSettings } from './decode-settings';

/**
 * The workbench's state and the plain helpers on it, apart from the store that changes it,
 * so that the store's parts (session actions, view capture, memory) need not import the store.
 */
export type Theme = 'dark' | 'light';
export const SIDE_PANELS = ['tuning', 'context', 'runs', 'compression', 'annotations', 'recordings', 'models', 'live'] as const;
export type SidePanel = (typeof SIDE_PANELS)[number];
/** Where a failure is shown: each part of the window reports its own. */
export type Area = 'dataset' | 'analysis' | 'waveform' | 'spectrogram' | 'model' | 'tuning' | 'context' | 'export' | 'session' | 'runs';

/** Cut-off rates each end-pointer may reach when the sweep recommends a pair (issue 7). */
export const CUTOFF_BUDGETS = { final: 0.01, speculative: 0.05 } as const;

/** What the researcher marked on an utterance; partial while only a true end is marked outside a session. */
export type Annotation = Partial<UtteranceAnnotation>;

/** The waveform player, registered by WaveformView so that other views can seek. */
export interface PlayerPort {
  playPause(): void;
  seek(timeS: number): void;
}

export interface WorkbenchState {
  defaults?: AppDefaults;
  dataset?: DatasetSummary;
  /** The audio files of the data set's folder, as their headers describe them. */
  recordings?: RecordingList;
  datasetAnalysis?: DatasetAnalysis;
  /** An openDataset request is under way: what the sidebar shows still belongs to the previous one. */
  opening: boolean;
  datasetProgress: { done: number; total: number } | null;
  /** Per-utterance outcomes under the knobs applied to the session (the sidebar's columns). */
  sessionOutcomes: Record<string, EndpointOutcome>;
  table: { sortKey: SortKey; descending: boolean; filter: string };

  selectedId?: string;
  analysis?: UtteranceAnalysis;
  analysing: boolean;
  peaks?: PeaksData;
  spectrogram?: SpectrogramData;
  /** Duration of the selected file (s), known once its peaks arrive. */
  fileDurationS: number;
  view: TimeView;
  playheadS: number;
  playing: boolean;
  /** A span another view points at (a lattice arc under the pointer), drawn on the waveform. */
  hoverSpan: { startS: number; endS: number } | null;
  annotations: Record<string, Annotation>;

  /** Knobs the workspace and the sidebar use; the tuning panel edits `draftKnobs` until applied. */
  sessionKnobs?: EndpointPair;
  draftKnobs?: EndpointPair;
  evaluation?: EndpointEvaluation;
  evaluating: boolean;
  sweep?: SweepResult;

  /** The biasing list and search settings of a re-run; null settings leave the model's own. */
  context: { text: string } & SearchSettings;
  /** The 1-best before and after the last context re-run. */
  rerun: { before: string; after: string } | null;

  /** `nbestIndex`: the n-best entry clicked, told apart from entries that spell the same words. */
  lattice: { minPosterior: number; selectedPath: number[]; hoverArc: number | null; nbestIndex: number | null };

  theme: Theme;
  panel: SidePanel;
  shortcutsOpen: boolean;
  errors: Partial<Record<Area, string>>;
  session: SessionState;
}

/** A deep copy of plain data held in reactive state (structuredClone refuses Vue's proxies). */
export function copyKnobs(pair: EndpointPair): EndpointPair {
  const raw = toRaw(pair);
  return { speculative: { ...toRaw(raw.speculative) }, final: { ...toRaw(raw.final) } };
}
