import { z } from "zod";
import type { Db } from "@/db/client";
import { articleAccess } from "@/db/schema";
import { saveArticle } from "./articles";
import { ArticleFormatError, parsePlainTextArticle } from "./parse-plain-text";
import { slugify, slugSchema } from "./slug";

export const importOptionsSchema = z.object({
  access: z.enum(articleAccess.enumValues).default("metered"),
  slug: slugSchema.optional(),
});

/**
 * Imports a plain-text article (headline, credit lines, paragraphs) and publishes it.
 * Re-importing the same slug updates the article and keeps its first publication time.
 */
export async function importPlainTextArticle(
  db: Db,
  text: string,
  options: { access?: string; slug?: string },
): Promise<{ id: number; slug: string; path: string; created: boolean }> {
  const { access, slug } = importOptionsSchema.parse(options);
  const parsed = parsePlainTextArticle(text);
  const finalSlug = slug ?? slugify(parsed.title);
  if (!finalSlug) throw new ArticleFormatError("The headline has no letters or digits to make a slug from; pass --slug.");
  const saved = await saveArticle(
    db,
    {
      slug: finalSlug,
      title: parsed.title,
      heroImageCredit: parsed.credit,
      publishedAt: new Date(),
      access,
      blocks: parsed.blocks,
    },
    { keepPublishedAt: true },
  );
  return { ...saved, path: `/articles/${saved.slug}` };
}
