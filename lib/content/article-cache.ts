import { getDb } from "@/db/client";
import { ttlCache } from "@/lib/process-cache";
import { findPublishedArticleMeta, loadBlocks, type ArticleMeta } from "./articles";
import type { Block } from "./blocks";

// The proxy and the page look up the same article on every request; a short TTL keeps that off
// the database while edits from any instance show within seconds.
const metaBySlug = ttlCache<string, ArticleMeta | null>("article-meta", 10_000);
const leadIns = ttlCache<string, Block[]>("article-lead-in", 60_000, 1_000);
const lockedParts = ttlCache<string, Block[]>("article-locked", 60_000, 1_000);

export function getArticleMeta(slug: string): Promise<ArticleMeta | null> {
  return metaBySlug.get(slug, async () => findPublishedArticleMeta(await getDb(), slug, new Date()));
}

function versionKey(meta: ArticleMeta, leadInCount: number): string {
  return `${meta.id}:${meta.updatedAt.getTime()}:${leadInCount}`;
}

/** The lead-in: the first `leadInCount` blocks, the part everyone may read. */
export function getLeadIn(meta: ArticleMeta, leadInCount: number): Promise<Block[]> {
  return leadIns.get(versionKey(meta, leadInCount), async () => loadBlocks(await getDb(), meta.id, 0, leadInCount));
}

/** The locked part. Call only after the decision for this request said `full`. */
export function getLockedPart(meta: ArticleMeta, leadInCount: number): Promise<Block[]> {
  return lockedParts.get(versionKey(meta, leadInCount), async () => loadBlocks(await getDb(), meta.id, leadInCount));
}

/** Forget cached copies after an edit in this process (other instances catch up by TTL). */
export function invalidateArticle(slug: string): void {
  metaBySlug.delete(slug);
}
