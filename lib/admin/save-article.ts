import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { articles } from "@/db/schema";
import { saveArticle } from "@/lib/content/articles";
import type { AdminActor, InvalidInput } from "./admin-action";
import type { ArticleForm } from "./article-form";
import { loadArticleSnapshot, type ArticleSnapshot } from "./article-snapshot";
import { recordAudit } from "./audit";

export type SaveArticleOutcome =
  | { ok: true; id: number; slug: string; created: boolean }
  | InvalidInput;

/**
 * Creates or edits an article from the editor, and records the change, in one transaction:
 * a slug already used by another article is refused before anything is written; a new slug
 * on an existing article renames it (rather than creating a copy); the body's blocks are
 * replaced by saveArticle.
 */
export async function saveArticleAsAdmin(db: Db, actor: AdminActor, form: ArticleForm, now = new Date()): Promise<SaveArticleOutcome> {
  return db.transaction(async (tx): Promise<SaveArticleOutcome> => {
    const before = form.id === undefined ? null : await loadArticleSnapshot(tx, form.id, { forUpdate: true });
    if (form.id !== undefined && !before) return { ok: false, fieldErrors: {}, message: "This article no longer exists." };

    const [holder] = await tx.select({ id: articles.id }).from(articles).where(eq(articles.slug, form.article.slug));
    if (holder && holder.id !== before?.id) {
      return { ok: false, fieldErrors: { slug: "Another article already uses this slug" }, message: "Nothing was saved: the slug is taken." };
    }
    if (before && before.slug !== form.article.slug) {
      await tx.update(articles).set({ slug: form.article.slug, updatedAt: sql`now()` }).where(eq(articles.id, before.id));
    }

    const saved = await saveArticle(tx, { ...form.article, publishedAt: publicationTime(form, before, now) });
    const after = await loadArticleSnapshot(tx, saved.id);
    await recordAudit(tx, {
      actor,
      action: before ? "article.update" : "article.create",
      targetType: "article",
      targetId: saved.id,
      before,
      after,
    });
    return { ok: true, id: saved.id, slug: saved.slug, created: !before };
  });
}

// "Publish now" keeps the date of an article already out, so an edit does not move it to the top.
function publicationTime(form: ArticleForm, before: ArticleSnapshot | null, now: Date): Date | null {
  switch (form.publication) {
    case "draft":
      return null;
    case "schedule":
      return form.publishAt;
    case "now": {
      const current = before?.publishedAt ? new Date(before.publishedAt) : null;
      return current && current.getTime() <= now.getTime() ? current : now;
    }
  }
}
