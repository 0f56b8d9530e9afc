import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { ttlCache } from "@/lib/process-cache";
import { raw } from "@/lib/ui/html";
import { loadBlocks, type ArticleMeta } from "../articles";
import { articleHead } from "./article-head";
import { articleDocument } from "./article-document";

/** A rendered article page around one slot, after the body, for the paywall card or meter note. */
export interface ArticleTemplate {
  before: string;
  after: string;
}

const SLOT = "\u0000slot\u0000";
// Rendered once per article version and level; a request only fills the slot.
const templates = ttlCache<string, ArticleTemplate>("article-template", 60_000, 1_000);

/**
 * The page for one access level. The `full` template loads the locked part, so ask for it only
 * after this request's decision said `full`.
 */
export function getArticleTemplate(meta: ArticleMeta, leadInCount: number, level: "full" | "preview"): Promise<ArticleTemplate> {
  const key = `${meta.id}:${meta.updatedAt.getTime()}:${leadInCount}:${level}`;
  return templates.get(key, async () => {
    const db = await getDb();
    const [leadIn, locked] = await Promise.all([
      loadBlocks(db, meta.id, 0, leadInCount),
      level === "full" ? loadBlocks(db, meta.id, leadInCount) : Promise.resolve(null),
    ]);
    const { SITE_URL, SITE_NAME } = env();
    const page = articleDocument({
      meta,
      head: articleHead(meta, new URL(`/articles/${meta.slug}`, SITE_URL).toString(), SITE_URL, SITE_NAME),
      siteName: SITE_NAME,
      leadIn,
      locked,
      after: raw(SLOT),
    });
    const at = page.indexOf(SLOT);
    return { before: page.slice(0, at), after: page.slice(at + SLOT.length) };
  });
}
