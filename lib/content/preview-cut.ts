/**
 * Where a preview ends. Pure and dependency-free: the reading path (from word counts the database
 * computes), the importer and the editor's live preview all cut with these same functions.
 */

/** The characters between words, as a regular-expression class both JavaScript and PostgreSQL read alike. */
export const WORD_SEPARATORS = " \\t\\n\\r\\f\\v";
const WORD = new RegExp(`[^${WORD_SEPARATORS}]+`, "g");

export function wordCount(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

/**
 * How many leading blocks a reader without access sees: at most the lead-in, never the last
 * block, and never more than half of the article's words. 0 leaves only the headline and standfirst.
 */
export function previewBlockCount(blockWordCounts: readonly number[], leadIn: number): number {
  const total = blockWordCounts.reduce((sum, n) => sum + n, 0);
  const most = Math.min(leadIn, blockWordCounts.length - 1);
  let shown = 0;
  let words = 0;
  // Word counts are never negative, so the first block that would pass half ends the preview.
  while (shown < most && (words + blockWordCounts[shown]!) * 2 <= total) words += blockWordCounts[shown++]!;
  return shown;
}

/** What the editor and the importer tell a writer when the lead-in they set cannot be shown whole; null when it can. */
export function previewWarning(blockWordCounts: readonly number[], leadIn: number): string | null {
  const shown = previewBlockCount(blockWordCounts, leadIn);
  if (shown === 0) return "Too short for a preview: readers without access see only the headline and standfirst.";
  if (shown < leadIn) {
    return `Readers without access will see only ${shown} of the ${leadIn} lead-in paragraphs: a preview never includes the last paragraph or more than half of the words.`;
  }
  return null;
}
