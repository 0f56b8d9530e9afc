import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { articles } from "@/db/schema";
import { importPlainTextArticle, type ImportResult } from "@/lib/content/import-article";
import { ArticleFormatError, parsePlainTextArticle } from "@/lib/content/parse-plain-text";
import { slugify } from "@/lib/content/slug";
import type { AdminActor } from "./admin-action";
import { loadArticleSnapshot } from "./article-snapshot";
import { recordAudit } from "./audit";
import type { ImportForm } from "./import-form";

export type ImportOutcome =
  | ({ ok: true; title: string } & ImportResult)
  | { ok: false; message: string; field?: "file" | "slug" };

/**
 * Imports an uploaded plain-text article through the importer, recording it in the same
 * transaction. A malformed file gets the parser's message naming the problem; nothing is stored.
 */
export async function importArticleAsAdmin(db: Db, actor: AdminActor, form: Omit<ImportForm, "file">, text: string): Promise<ImportOutcome> {
  let title: string;
  try {
    title = parsePlainTextArticle(text).title;
  } catch (error) {
    if (error instanceof ArticleFormatError) return { ok: false, field: "file", message: error.message };
    throw error;
  }
  const slug = form.slug ?? slugify(title);
  if (!slug) return { ok: false, field: "slug", message: "The headline has no letters or digits to make a slug from: enter a slug." };

  const result = await db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: articles.id }).from(articles).where(eq(articles.slug, slug));
    const before = existing ? await loadArticleSnapshot(tx, existing.id, { forUpdate: true }) : null;
    const imported = await importPlainTextArticle(tx, text, { access: form.access, slug, replaceAll: form.replaceAll });
    await recordAudit(tx, {
      actor,
      action: before ? "article.reimport" : "article.import",
      targetType: "article",
      targetId: imported.id,
      before,
      after: await loadArticleSnapshot(tx, imported.id),
    });
    return imported;
  });
  return { ok: true, ...result, title };
}
