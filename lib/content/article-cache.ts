import "server-only";
import { getDb } from "@/db/client";
import { ttlCache } from "@/lib/cache/ttl-cache";
import { findArticleMeta, isPublished, type ArticleMeta } from "./articles";

// The gate and the page look up the same article on every request. Drafts and scheduled
// articles are cached too, so a scheduled one comes out at its time without a change to
// announce; an edit, rename or unpublish on any instance announces its article's id. A
// slug no article has (null) may be taken by any article: every article change forgets those.
const metaBySlug = ttlCache<string, ArticleMeta | null>("article-meta", {
  forgetOn: { articles: (id, _slug, meta) => meta === null || String(meta.id) === id },
});

/** The published article at `slug`, or null (no such article, a draft, or not out yet). */
export async function getArticleMeta(slug: string, now = new Date()): Promise<ArticleMeta | null> {
  const meta = await metaBySlug.get(slug, async () => findArticleMeta(await getDb(), slug));
  return meta && isPublished(meta, now) ? meta : null;
}
