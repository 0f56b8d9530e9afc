import "server-only";
import { and, asc, desc, eq, gt, gte, isNotNull, lt, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { announceChange } from "@/lib/cache/invalidation";
import { articleBlocks, articles, type Article } from "@/db/schema";
import { articleInputSchema, type ArticleInput } from "./article-input";
import type { Block } from "./blocks";
import { WORD_SEPARATORS } from "./preview-cut";

/** Everything about an article but its body. */
export type ArticleMeta = Omit<Article, "createdAt">;

/** An article's own fields, without its body and bookkeeping: what editors set. */
export const articleFieldColumns = {
  id: articles.id,
  slug: articles.slug,
  title: articles.title,
  dek: articles.dek,
  byline: articles.byline,
  publishedAt: articles.publishedAt,
  heroImage: articles.heroImage,
  heroImageAlt: articles.heroImageAlt,
  heroImageCredit: articles.heroImageCredit,
  leadInBlocks: articles.leadInBlocks,
  access: articles.access,
};

const metaColumns = { ...articleFieldColumns, updatedAt: articles.updatedAt };

/** An article's meta whether or not it is published (drafts and scheduled ones too): see isPublished. */
export async function findArticleMeta(db: Db, slug: string): Promise<ArticleMeta | null> {
  const [row] = await db.select(metaColumns).from(articles).where(eq(articles.slug, slug)).limit(1);
  return row ?? null;
}

export function isPublished(meta: Pick<ArticleMeta, "publishedAt">, now: Date): boolean {
  return meta.publishedAt !== null && meta.publishedAt.getTime() <= now.getTime();
}

export async function findPublishedArticleMeta(db: Db, slug: string, now: Date): Promise<ArticleMeta | null> {
  const meta = await findArticleMeta(db, slug);
  return meta && isPublished(meta, now) ? meta : null;
}

export async function listPublishedArticles(db: Db, now: Date, limit = 30): Promise<ArticleMeta[]> {
  return db
    .select(metaColumns)
    .from(articles)
    .where(and(isNotNull(articles.publishedAt), lte(articles.publishedAt, now)))
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(limit);
}

/** When the next scheduled article comes out after `now`, if one is scheduled. */
export async function nextScheduledPublication(db: Db, now: Date): Promise<Date | null> {
  const [row] = await db.select({ at: sql<Date | null>`min(${articles.publishedAt})`.mapWith(articles.publishedAt) }).from(articles).where(gt(articles.publishedAt, now));
  return row?.at ?? null;
}

/** Blocks in [from, to): the lead-in is [0, n), the locked part [n, ∞). */
export async function loadBlocks(db: Db, articleId: number, from: number, to?: number): Promise<Block[]> {
  const range = [eq(articleBlocks.articleId, articleId), gte(articleBlocks.position, from)];
  if (to !== undefined) range.push(lt(articleBlocks.position, to));
  return db
    .select({ kind: articleBlocks.kind, text: articleBlocks.text })
    .from(articleBlocks)
    .where(and(...range))
    .orderBy(asc(articleBlocks.position));
}

/**
 * Each block's word count, in order, counted by the database as wordCount() counts: what the
 * preview cut needs, without reading any text out of the database.
 */
export async function loadBlockWordCounts(db: Db, articleId: number): Promise<number[]> {
  // Every word becomes one "x" and the separators go: the length left is the number of words.
  const words = sql<number>`length(regexp_replace(regexp_replace(${articleBlocks.text}, ${`[^${WORD_SEPARATORS}]+`}, 'x', 'g'), ${`[${WORD_SEPARATORS}]+`}, '', 'g'))::int`;
  const rows = await db
    .select({ words })
    .from(articleBlocks)
    .where(eq(articleBlocks.articleId, articleId))
    .orderBy(asc(articleBlocks.position));
  return rows.map((row) => Number(row.words));
}

/** Creates or updates (by slug) an article and replaces its body, all in one transaction; every instance hears of it at commit. */
export async function saveArticle(
  db: Db,
  input: ArticleInput,
  options: { keepPublishedAt?: boolean } = {},
): Promise<{ id: number; slug: string; created: boolean }> {
  const { blocks, ...fields } = articleInputSchema.parse(input);
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: articles.id, publishedAt: articles.publishedAt })
      .from(articles)
      .where(eq(articles.slug, fields.slug))
      .for("update");
    let id: number;
    if (existing) {
      id = existing.id;
      await tx
        .update(articles)
        .set({
          ...fields,
          publishedAt: options.keepPublishedAt && existing.publishedAt ? existing.publishedAt : fields.publishedAt,
          updatedAt: sql`now()`,
        })
        .where(eq(articles.id, id));
      await tx.delete(articleBlocks).where(eq(articleBlocks.articleId, id));
    } else {
      const [inserted] = await tx.insert(articles).values(fields).returning({ id: articles.id });
      id = inserted!.id;
    }
    await tx.insert(articleBlocks).values(blocks.map((block, position) => ({ articleId: id, position, ...block })));
    await announceChange(tx, "articles", id);
    return { id, slug: fields.slug, created: !existing };
  });
}

export async function countArticles(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(articles);
  return row?.n ?? 0;
}
