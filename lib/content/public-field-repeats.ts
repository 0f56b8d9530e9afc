import { previewBlockCount, wordCount } from "./preview-cut";

/**
 * Locked text in a public field is a leak: the headline, standfirst, image alt text and credit,
 * and slug go to every stranger (the page, the meta description, Open Graph and Twitter cards,
 * JSON-LD, the address). Pure: the leak audit and the article editor both ask it.
 */

/** The public fields, named as the editor labels them, with where each one is shown. */
export const PUBLIC_FIELDS = {
  title: "headline (page, <title>, og:title, twitter:title, JSON-LD headline, the SEO description when there is no standfirst)",
  dek: "standfirst (page, meta description, og:description, twitter:description, JSON-LD description)",
  heroImageAlt: "image alt text (page, og:image:alt)",
  heroImageCredit: "image credit (page)",
  slug: "slug (the article's address)",
} as const;

export type PublicField = keyof typeof PUBLIC_FIELDS;
export type PublicFields = { [K in PublicField]?: string | null };

export interface PublicFieldRepeat {
  field: PublicField;
  /** The locked part's sentence the field repeats (all of it, or a run of RUN_WORDS words of it). */
  sentence: string;
}

/** This many words in a row from the locked part, in a field, are a repeat. */
const RUN_WORDS = 6;
/** A locked sentence this long or longer, whole in a field, is a repeat even when shorter than a run. */
const SENTENCE_WORDS = 4;

/** Words as a slug or a reader sees them: letters and digits, lower case; quotes, dashes and markup ignored. */
function words(text: string): string[] {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/['’‘`]/g, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function sentencesOf(block: string): string[] {
  return block
    .split(/(?<=[.!?…])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Each public field that repeats a sentence of the locked part (whole, when it has at least four
 * words, or six words of it in a row), once per field and sentence.
 */
export function lockedTextInPublicFields(fields: PublicFields, lockedBlocks: string[]): PublicFieldRepeat[] {
  const runs = new Map<string, string>();
  const wholes: Array<{ key: string; sentence: string }> = [];
  for (const sentence of lockedBlocks.flatMap(sentencesOf)) {
    const w = words(sentence);
    if (w.length >= SENTENCE_WORDS) wholes.push({ key: ` ${w.join(" ")} `, sentence });
    for (let i = 0; i + RUN_WORDS <= w.length; i++) {
      const run = w.slice(i, i + RUN_WORDS).join(" ");
      if (!runs.has(run)) runs.set(run, sentence);
    }
  }
  const found: PublicFieldRepeat[] = [];
  for (const field of Object.keys(PUBLIC_FIELDS) as PublicField[]) {
    const value = fields[field];
    if (!value) continue;
    const w = words(value);
    const padded = ` ${w.join(" ")} `;
    const sentences = new Set<string>();
    for (const whole of wholes) if (padded.includes(whole.key)) sentences.add(whole.sentence);
    for (let i = 0; i + RUN_WORDS <= w.length; i++) {
      const sentence = runs.get(w.slice(i, i + RUN_WORDS).join(" "));
      if (sentence) sentences.add(sentence);
    }
    for (const sentence of sentences) found.push({ field, sentence });
  }
  return found;
}

/** How a confirmation names one repeat, so a later edit of the field or sentence needs a new one. */
export function repeatKey(repeat: PublicFieldRepeat): string {
  return `${repeat.field}:${words(repeat.sentence).join(" ")}`;
}

/**
 * The audit log's action for an admin's confirmation that repeats are intended; its `after` holds
 * `{ repeats: string[] }` (repeatKey). The leak audit reads these and reports such repeats as
 * confirmed instead of failing.
 */
export const REPEAT_CONFIRMED_ACTION = "article.repeat-confirmed";

/** An article's repeats as the reading path would cut it: none for a free article (nothing is locked). */
export function articleRepeats(
  article: PublicFields & { access: string; leadInBlocks: number | null; blocks: ReadonlyArray<{ text: string }> },
  defaultLeadIn: number,
): PublicFieldRepeat[] {
  if (article.access === "free") return [];
  const cut = previewBlockCount(article.blocks.map((block) => wordCount(block.text)), article.leadInBlocks ?? defaultLeadIn);
  return lockedTextInPublicFields(article, article.blocks.slice(cut).map((block) => block.text));
}
