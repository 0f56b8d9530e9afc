import { and, desc, eq, gt, ilike, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { articleAccess, articles, type ArticleAccessLevel } from "@/db/schema";
import { articleStatus, articleStatuses, type ArticleStatus } from "./article-status";

export const ARTICLES_PER_PAGE = 20;

const blankToUndefined = (v: unknown) => (v === "" || Array.isArray(v) ? undefined : v);

/** The list's query string; anything unparsable falls back to "no filter" rather than an error page. */
export const articleListQuerySchema = z.object({
  q: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()).catch(undefined),
  access: z.preprocess(blankToUndefined, z.enum(articleAccess.enumValues).optional()).catch(undefined),
  status: z.preprocess(blankToUndefined, z.enum(articleStatuses).optional()).catch(undefined),
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(10_000).default(1)).catch(1),
});

export type ArticleListQuery = z.output<typeof articleListQuerySchema>;

export interface ArticleListRow {
  id: number;
  slug: string;
  title: string;
  access: ArticleAccessLevel;
  status: ArticleStatus;
  publishedAt: Date | null;
  updatedAt: Date;
}

/** Articles matching the search and filters, newest first (by publication time, else creation), one page at a time. */
export async function listArticlesForAdmin(
  db: Db,
  query: ArticleListQuery,
  now = new Date(),
): Promise<{ rows: ArticleListRow[]; total: number; pages: number }> {
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

  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(articles).where(where);
  const total = count?.n ?? 0;
  const rows = await db
    .select({
      id: articles.id,
      slug: articles.slug,
      title: articles.title,
      access: articles.access,
      publishedAt: articles.publishedAt,
      updatedAt: articles.updatedAt,
    })
    .from(articles)
    .where(where)
    .orderBy(desc(sql`coalesce(${articles.publishedAt}, ${articles.createdAt})`), desc(articles.id))
    .limit(ARTICLES_PER_PAGE)
    .offset((query.page - 1) * ARTICLES_PER_PAGE);
  return {
    rows: rows.map((row) => ({ ...row, status: articleStatus(row.publishedAt, now) })),
    total,
    pages: Math.max(1, Math.ceil(total / ARTICLES_PER_PAGE)),
  };
}
