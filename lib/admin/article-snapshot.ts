import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { articles, type ArticleAccessLevel } from "@/db/schema";
import { articleFieldColumns, loadBlocks } from "@/lib/content/articles";
import { blocksToMarkdown } from "@/lib/content/markdown";

/** An article as the editor shows it and the audit log records it: plain JSON, body in Markdown. */
export interface ArticleSnapshot {
  id: number;
  slug: string;
  title: string;
  dek: string | null;
  byline: string | null;
  publishedAt: string | null;
  heroImage: string | null;
  heroImageAlt: string | null;
  heroImageCredit: string | null;
  leadInBlocks: number | null;
  access: ArticleAccessLevel;
  body: string;
}

/** The article with this id, or null. `forUpdate` locks its row for the rest of the transaction. */
export async function loadArticleSnapshot(db: Db, id: number, options: { forUpdate?: boolean } = {}): Promise<ArticleSnapshot | null> {
  const query = db
    .select(articleFieldColumns)
    .from(articles)
    .where(eq(articles.id, id));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) return null;
  const blocks = await loadBlocks(db, id, 0);
  return { ...row, publishedAt: row.publishedAt?.toISOString() ?? null, body: blocksToMarkdown(blocks) };
}
