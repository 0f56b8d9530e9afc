import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { articleAccess, articles } from "@/db/schema";
import { loadReadingSettings } from "@/lib/settings";
import { articleFieldColumns, saveArticle } from "./articles";
import { ArticleFormatError, parsePlainTextArticle } from "./parse-plain-text";
import { previewWarning, wordCount } from "./preview-cut";
import { slugify, slugSchema } from "./slug";

const accessSchema = z.enum(articleAccess.enumValues);

export const importOptionsSchema = z.object({
  /** Given explicitly (the command line's --access): the operator's intent, which wins on a re-import too. */
  access: accessSchema.optional(),
  /** Who may read a new article when `access` is not given; a re-import keeps the article's own. */
  accessIfNew: accessSchema.default("metered"),
  slug: slugSchema.optional(),
  /** On a re-import, replace everything from the file, not only the headline and body. */
  replaceAll: z.boolean().default(false),
});

/** What a re-import keeps from the article unless told to replace everything or given explicitly. */
export const KEPT_ON_REIMPORT = ["standfirst", "byline", "image", "alt text", "credit", "lead-in", "access"] as const;

/** "a, b and c". */
export function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

export interface ImportResult {
  id: number;
  slug: string;
  path: string;
  created: boolean;
  /** An existing article whose KEPT_ON_REIMPORT fields were kept, but for those given explicitly. */
  kept: boolean;
  /** On such a re-import, the KEPT_ON_REIMPORT fields that were kept. */
  keptFields: string[];
  /** On such a re-import, what an explicit option changed, as "access from subscribers to free". */
  changed: string[];
  /** Set when the article's lead-in cannot be shown whole to readers without access (see previewWarning). */
  leadInWarning: string | null;
}

/**
 * Imports a plain-text article (headline, credit lines, paragraphs) and publishes it. Re-importing
 * the same slug replaces its headline and body and keeps its first publication time and what an
 * editor set around the words (KEPT_ON_REIMPORT), unless `replaceAll`; an option given explicitly
 * (`access`) is the operator's intent and replaces the article's own.
 */
export async function importPlainTextArticle(
  db: Db,
  text: string,
  options: { access?: string; accessIfNew?: string; slug?: string; replaceAll?: boolean },
): Promise<ImportResult> {
  const { access: explicitAccess, accessIfNew, slug, replaceAll } = importOptionsSchema.parse(options);
  const access = explicitAccess ?? accessIfNew;
  const parsed = parsePlainTextArticle(text);
  const finalSlug = slug ?? slugify(parsed.title);
  if (!finalSlug) throw new ArticleFormatError("The headline has no letters or digits to make a slug from; pass --slug.");
  return db.transaction(async (tx) => {
    const [existing] = await tx.select(articleFieldColumns).from(articles).where(eq(articles.slug, finalSlug)).for("update");
    const kept = existing !== undefined && !replaceAll;
    const fields = kept
      ? { ...existing, access: explicitAccess ?? existing.access }
      : { slug: finalSlug, heroImageCredit: parsed.credit, access, leadInBlocks: null, dek: null, byline: null, heroImage: null, heroImageAlt: null };
    const changed = kept && explicitAccess && explicitAccess !== existing.access ? [`access from ${existing.access} to ${explicitAccess}`] : [];
    const saved = await saveArticle(
      tx,
      { ...fields, title: parsed.title, blocks: parsed.blocks, publishedAt: new Date() },
      { keepPublishedAt: true },
    );
    const leadIn = fields.leadInBlocks ?? (await loadReadingSettings(tx)).defaultLeadInBlocks;
    return {
      ...saved,
      path: `/articles/${saved.slug}`,
      kept,
      keptFields: kept ? KEPT_ON_REIMPORT.filter((field) => !(field === "access" && explicitAccess)) : [],
      changed,
      leadInWarning: previewWarning(parsed.blocks.map((block) => wordCount(block.text)), leadIn),
    };
  });
}
