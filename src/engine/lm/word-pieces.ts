/**
 * SentencePiece unigram segmentation, as the cloud model was trained with (training/lm/train.py): each word
 * gets the `▁` prefix and is split on its own into the pieces whose scores sum highest (Viterbi). The model's
 * text is lower-case a–z and apostrophes with the identity normaliser, so no normalisation happens here.
 */
const WORD_START = '▁';

export interface WordPieceTable {
  ids: Map<string, number>;
  scores: Float64Array;
  unkId: number;
  maxPieceLength: number;
}

/** Reads SentencePiece's `.vocab` file: one `piece<TAB>score` a line, line number = id. */
export function readWordPieces(text: string, unkId: number): WordPieceTable {
  const lines = text.split('\n').filter((l) => l !== '');
  const ids = new Map<string, number>();
  const scores = new Float64Array(lines.length);
  let maxPieceLength = 1;
  lines.forEach((line, id) => {
    const tab = line.lastIndexOf('\t');
    const score = Number(line.slice(tab + 1));
    if (tab <= 0 || !Number.isFinite(score)) throw new Error(`tokenizer.vocab line ${id + 1}: expected "piece<TAB>score"`);
    const piece = line.slice(0, tab);
    ids.set(piece, id);
    scores[id] = score;
    maxPieceLength = Math.max(maxPieceLength, [...piece].length);
  });
  return { ids, scores, unkId, maxPieceLength };
}

// SentencePiece gives a character no piece covers this score (below every real piece) and merges runs of them.
const UNK_PENALTY = 10;

/** The piece ids of one word. Control pieces (<unk>, <s>, </s>) are never matched inside text. */
export function wordPieceIds(table: WordPieceTable, word: string): number[] {
  const chars = [...(WORD_START + word)];
  const n = chars.length;
  const best = new Float64Array(n + 1).fill(-Infinity);
  const backLen = new Int32Array(n + 1);
  const backId = new Int32Array(n + 1);
  best[0] = 0;
  let minScore = 0;
  for (const s of table.scores) minScore = Math.min(minScore, s);
  for (let end = 1; end <= n; end++) {
    for (let len = 1; len <= Math.min(table.maxPieceLength, end); len++) {
      const start = end - len;
      if (best[start] === -Infinity) continue;
      const id = table.ids.get(chars.slice(start, end).join(''));
      if (id === undefined || id < 3) continue;
      const s = best[start] + table.scores[id];
      if (s > best[end]) {
        best[end] = s;
        backLen[end] = len;
        backId[end] = id;
      }
    }
    if (best[end] === -Infinity || best[end - 1] + minScore - UNK_PENALTY > best[end]) {
      best[end] = best[end - 1] + minScore - UNK_PENALTY;
      backLen[end] = 1;
      backId[end] = table.unkId;
    }
  }
  const out: number[] = [];
  for (let end = n; end > 0; end -= backLen[end]) {
    // Consecutive unknown characters are one <unk>.
    if (backId[end] === table.unkId && out[out.length - 1] === table.unkId) continue;
    out.push(backId[end]);
  }
  return out.reverse();
}
