import "server-only";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { ttlCache } from "@/lib/cache/ttl-cache";
import { raw } from "@/lib/ui/html";
import { loadBlockWordCounts, loadBlocks, type ArticleMeta } from "../articles";
import { previewBlockCount } from "../preview-cut";
import { articleHead } from "./article-head";
import { articleDocument } from "./article-document";

/** A rendered article page around one slot, after the body, for the paywall card or meter note. */
export interface ArticleTemplate {
  before: string;
  after: string;
}

const SLOT = "\u0000slot\u0000";
// Rendered once per article version and level; a request only fills the slot. The key holds the
// version, so an edit never meets an old page; its announcement frees the old ones' memory.
const templates = ttlCache<string, ArticleTemplate>("article-template", {
  maxEntries: 1_000,
  maxBytes: 32 * 1_048_576,
  forgetOn: { articles: (id, key) => key.startsWith(`${id}:`) },
});

/**
 * The page for one access level. The `full` template loads the locked part, so ask for it only
 * after this request's decision said `full`. The preview is the lead-in as previewBlockCount cuts
 * it from the blocks' word counts: for a short article less than `leadIn`, possibly nothing.
 */
export function getArticleTemplate(meta: ArticleMeta, leadIn: number, level: "full" | "preview"): Promise<ArticleTemplate> {
  const key = `${meta.id}:${meta.updatedAt.getTime()}:${leadIn}:${level}`;
  return templates.get(key, async () => {
    const db = await getDb();
    // One snapshot: the cut must be made on the same version of the body it is applied to.
    const { open, locked } = await db.transaction(
      async (tx) => {
        const cut = previewBlockCount(await loadBlockWordCounts(tx, meta.id), leadIn);
        const [open, locked] = await Promise.all([
          loadBlocks(tx, meta.id, 0, cut),
          level === "full" ? loadBlocks(tx, meta.id, cut) : Promise.resolve(null),
        ]);
        return { open, locked };
      },
      { isolationLevel: "repeatable read", accessMode: "read only" },
    );
    const { SITE_URL, SITE_NAME } = env();
    const page = articleDocument({
      meta,
      head: articleHead(meta, new URL(`/articles/${meta.slug}`, SITE_URL).toString(), SITE_URL, SITE_NAME),
      siteName: SITE_NAME,
      leadIn: open,
      locked,
      after: raw(SLOT),
    });
    const at = page.indexOf(SLOT);
    return { before: page.slice(0, at), after: page.slice(at + SLOT.length) };
  });
}
