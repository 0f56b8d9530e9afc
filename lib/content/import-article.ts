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

export const importOptionsSchema = z.object({
  access: z.enum(articleAccess.enumValues).default("metered"),
  slug: slugSchema.optional(),
  /** On a re-import, replace everything from the file, not only the headline and body. */
  replaceAll: z.boolean().default(false),
});

/** What a re-import keeps from the article unless told to replace everything. */
export const KEPT_ON_REIMPORT = "standfirst, byline, image, alt text, credit, lead-in and access";

export interface ImportResult {
  id: number;
  slug: string;
  path: string;
  created: boolean;
  /** An existing article whose KEPT_ON_REIMPORT fields were kept: only its headline and body changed. */
  kept: boolean;
  /** Set when the article's lead-in cannot be shown whole to readers without access (see previewWarning). */
  leadInWarning: string | null;
}

/**
 * Imports a plain-text article (headline, credit lines, paragraphs) and publishes it. Re-importing
 * the same slug replaces its headline and body and keeps its first publication time and what an
 * editor set around the words (KEPT_ON_REIMPORT), unless `replaceAll`.
 */
export async function importPlainTextArticle(
  db: Db,
  text: string,
  options: { access?: string; slug?: string; replaceAll?: boolean },
): Promise<ImportResult> {
  const { access, slug, replaceAll } = importOptionsSchema.parse(options);
  const parsed = parsePlainTextArticle(text);
  const finalSlug = slug ?? slugify(parsed.title);
  if (!finalSlug) throw new ArticleFormatError("The headline has no letters or digits to make a slug from; pass --slug.");
  return db.transaction(async (tx) => {
    const [existing] = await tx.select(articleFieldColumns).from(articles).where(eq(articles.slug, finalSlug)).for("update");
    const kept = existing !== undefined && !replaceAll;
    const fields = kept
      ? existing
      : { slug: finalSlug, heroImageCredit: parsed.credit, access, leadInBlocks: null, dek: null, byline: null, heroImage: null, heroImageAlt: null };
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
      leadInWarning: previewWarning(parsed.blocks.map((block) => wordCount(block.text)), leadIn),
    };
  });
}
