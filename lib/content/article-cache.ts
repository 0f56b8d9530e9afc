import { getDb } from "@/db/client";
import { ttlCache } from "@/lib/process-cache";
import { findPublishedArticleMeta, type ArticleMeta } from "./articles";

// The gate and the page look up the same article on every request; a short TTL keeps that off
// the database while edits from any instance show within seconds.
const metaBySlug = ttlCache<string, ArticleMeta | null>("article-meta", 10_000);

export function getArticleMeta(slug: string): Promise<ArticleMeta | null> {
  return metaBySlug.get(slug, async () => findPublishedArticleMeta(await getDb(), slug, new Date()));
}

/** Forget cached copies after an edit in this process (other instances catch up by TTL). */
export function invalidateArticle(slug: string): void {
  metaBySlug.delete(slug);
}
