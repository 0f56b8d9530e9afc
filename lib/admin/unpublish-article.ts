import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { articles } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";
import type { AdminActor } from "./admin-action";
import { loadArticleSnapshot } from "./article-snapshot";
import { recordAudit } from "./audit";

/** Takes an article off the site (back to a draft), recording the change in the same transaction. */
export async function unpublishArticle(db: Db, actor: AdminActor, id: number): Promise<{ changed: boolean } | null> {
  return db.transaction(async (tx) => {
    const before = await loadArticleSnapshot(tx, id, { forUpdate: true });
    if (!before) return null;
    if (before.publishedAt === null) return { changed: false };
    await tx.update(articles).set({ publishedAt: null, updatedAt: sql`now()` }).where(eq(articles.id, id));
    await announceChange(tx, "articles", id);
    await recordAudit(tx, {
      actor,
      action: "article.unpublish",
      targetType: "article",
      targetId: id,
      before,
      after: { ...before, publishedAt: null },
    });
    return { changed: true };
  });
}
