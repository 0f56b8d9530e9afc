import "server-only";
import { and, desc, eq, gt, ilike, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { articles, type ArticleAccessLevel } from "@/db/schema";
import { articleFieldColumns, loadBlocks } from "@/lib/content/articles";
import { blocksToMarkdown } from "@/lib/content/markdown";
import { articleStatus, type ArticleListQuery, type ArticleStatus } from "./form";

export const ARTICLES_PER_PAGE = 20;


export interface ArticleListRow {
  id: number;
  slug: string;
  title: string;
  access: ArticleAccessLevel;
  status: ArticleStatus;
  publishedAt: Date | null;
  updatedAt: Date;
}

/** The list's order, matching articles_list_order_idx: newest first, by publication time, else creation. */
const listedAt = sql`coalesce(${articles.publishedAt}, ${articles.createdAt})`;

/** Articles matching the search and filters, one page at a time, walked from the last one shown. */
export async function listArticlesForAdmin(
  db: Db,
  query: ArticleListQuery,
  now = new Date(),
): Promise<{ rows: ArticleListRow[]; total: number; next: number | null }> {
  const conditions: SQL[] = [];
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(articles.title, pattern), ilike(articles.slug, pattern))!);
  }
  if (query.access) conditions.push(eq(articles.access, query.access));
  if (query.status === "draft") conditions.push(isNull(articles.publishedAt));
  if (query.status === "scheduled") conditions.push(gt(articles.publishedAt, now));
  if (query.status === "published") conditions.push(lte(articles.publishedAt, now));
  const where = conditions.length > 0 ? and(...conditions) : undefined;
  const from = query.after
    ? sql`(${listedAt}, ${articles.id}) < (select coalesce(c.published_at, c.created_at), c.id from ${articles} c where c.id = ${query.after})`
    : undefined;

  const [[count], rows] = await Promise.all([
    db.select({ n: sql<number>`count(*)::int` }).from(articles).where(where),
    db
      .select({
        id: articles.id,
        slug: articles.slug,
        title: articles.title,
        access: articles.access,
        publishedAt: articles.publishedAt,
        updatedAt: articles.updatedAt,
      })
      .from(articles)
      .where(and(where, from))
      .orderBy(desc(listedAt), desc(articles.id))
      .limit(ARTICLES_PER_PAGE + 1),
  ]);
  const page = rows.slice(0, ARTICLES_PER_PAGE);
  return {
    rows: page.map((row) => ({ ...row, status: articleStatus(row.publishedAt, now) })),
    total: count?.n ?? 0,
    next: rows.length > ARTICLES_PER_PAGE ? page.at(-1)!.id : null,
  };
}

// --- One article ---

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
