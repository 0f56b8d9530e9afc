import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { articles, auditLog } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";
import { saveArticle } from "@/lib/content/articles";
import { importPlainTextArticle, type ImportResult } from "@/lib/content/import-article";
import { ArticleFormatError, parsePlainTextArticle } from "@/lib/content/parse-plain-text";
import { articleRepeats, PUBLIC_FIELDS, REPEAT_CONFIRMED_ACTION, repeatKey, type PublicFieldRepeat } from "@/lib/content/public-field-repeats";
import { slugify } from "@/lib/content/slug";
import { loadReadingSettings } from "@/lib/settings";
import { recordAudit } from "../audit/record";
import { refused, refusedField, type AdminActor, type InvalidInput } from "../shared/action";
import { loadArticleSnapshot, type ArticleSnapshot } from "./queries";
import type { ArticleForm, ImportForm } from "./form";

export type SaveArticleOutcome =
  | { ok: true; id: number; slug: string; created: boolean }
  | InvalidInput;

/** Records a change to an article in the transaction that makes it: the article as it was, and as it is. */
function auditArticle(tx: Db, actor: AdminActor, action: string, id: number, before: ArticleSnapshot | null, after: ArticleSnapshot | null) {
  return recordAudit(tx, { actor, action, targetType: "article", targetId: id, before, after });
}

/**
 * Creates or edits an article from the editor, and records the change, in one transaction:
 * a slug already used by another article is refused before anything is written; a new slug
 * on an existing article renames it (rather than creating a copy); the body's blocks are
 * replaced by saveArticle.
 */
export async function saveArticleAsAdmin(db: Db, actor: AdminActor, form: ArticleForm, now = new Date()): Promise<SaveArticleOutcome> {
  return db.transaction(async (tx): Promise<SaveArticleOutcome> => {
    const before = form.id === undefined ? null : await loadArticleSnapshot(tx, form.id, { forUpdate: true });
    if (form.id !== undefined && !before) return refused("This article no longer exists.");

    const [holder] = await tx.select({ id: articles.id }).from(articles).where(eq(articles.slug, form.article.slug));
    if (holder && holder.id !== before?.id) {
      return refusedField("slug", "Another article already uses this slug", "Nothing was saved: the slug is taken.");
    }
    if (before && before.slug !== form.article.slug) {
      await tx.update(articles).set({ slug: form.article.slug, updatedAt: sql`now()` }).where(eq(articles.id, before.id));
    }

    // Locked text in a public field goes to every stranger: a draft may keep it (its page warns),
    // but it is published only when the admin confirms the repetition is intended (audit-logged).
    const repeats = articleRepeats({ ...form.article, blocks: form.article.blocks }, (await loadReadingSettings(tx)).defaultLeadInBlocks);
    const confirmedBefore = before ? await confirmedRepeatKeys(tx, before.id) : new Set<string>();
    const unconfirmed = repeats.filter((r) => !confirmedBefore.has(repeatKey(r)));
    const confirming = form.publication !== "draft" && unconfirmed.length > 0;
    if (confirming && !unconfirmed.every((r) => form.confirmRepeats.includes(repeatKey(r)))) return refusedRepeats(form, unconfirmed);

    const saved = await saveArticle(tx, { ...form.article, publishedAt: publicationTime(form, before, now) });
    await auditArticle(tx, actor, before ? "article.update" : "article.create", saved.id, before, await loadArticleSnapshot(tx, saved.id));
    if (confirming) {
      await recordAudit(tx, {
        actor,
        action: REPEAT_CONFIRMED_ACTION,
        targetType: "article",
        targetId: saved.id,
        before: null,
        after: { repeats: unconfirmed.map(repeatKey), sentences: unconfirmed },
      });
    }
    return { ok: true, id: saved.id, slug: saved.slug, created: !before };
  });
}

/** The repeats admins have confirmed as intended for this article (the audit log holds them). */
export async function confirmedRepeatKeys(db: Db, articleId: number): Promise<Set<string>> {
  const rows = await db
    .select({ after: auditLog.after })
    .from(auditLog)
    .where(and(eq(auditLog.action, REPEAT_CONFIRMED_ACTION), eq(auditLog.targetType, "article"), eq(auditLog.targetId, String(articleId))));
  return new Set(rows.flatMap((row) => ((row.after as { repeats?: unknown } | null)?.repeats as string[] | undefined) ?? []));
}

/** One line per repeat: which field, and the locked sentence it repeats. */
export function describeRepeats(repeats: PublicFieldRepeat[]): string {
  return repeats.map((r) => `The ${PUBLIC_FIELDS[r.field].split(" (")[0]} repeats a sentence of the locked part: “${r.sentence}”`).join("\n");
}

// Publishing is refused; the form keeps what was typed and offers the confirmation for exactly these repeats.
function refusedRepeats(form: ArticleForm, repeats: PublicFieldRepeat[]): InvalidInput {
  const fieldErrors: Record<string, string> = {};
  for (const r of repeats) fieldErrors[r.field] ??= "Repeats a sentence of the locked part, which every stranger would then read.";
  fieldErrors.confirmRepeats = describeRepeats(repeats);
  const a = form.article;
  return {
    ok: false,
    fieldErrors,
    message: "Not published: locked text would be public. Change the marked fields, or confirm that the repetition is intended.",
    values: {
      slug: a.slug,
      dek: a.dek ?? "",
      byline: a.byline ?? "",
      heroImage: a.heroImage ?? "",
      heroImageAlt: a.heroImageAlt ?? "",
      heroImageCredit: a.heroImageCredit ?? "",
      access: a.access,
      publishAt: form.publishAt ? form.publishAt.toISOString().slice(0, 16) : "",
      confirmRepeats: repeats.map(repeatKey).join("\n"),
    },
  };
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

/** Takes an article off the site (back to a draft), recording the change in the same transaction. */
export async function unpublishArticle(db: Db, actor: AdminActor, id: number): Promise<{ changed: boolean } | null> {
  return db.transaction(async (tx) => {
    const before = await loadArticleSnapshot(tx, id, { forUpdate: true });
    if (!before) return null;
    if (before.publishedAt === null) return { changed: false };
    await tx.update(articles).set({ publishedAt: null, updatedAt: sql`now()` }).where(eq(articles.id, id));
    await announceChange(tx, "articles", id);
    await auditArticle(tx, actor, "article.unpublish", id, before, { ...before, publishedAt: null });
    return { changed: true };
  });
}

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
    const imported = await importPlainTextArticle(tx, text, { accessIfNew: form.access, slug, replaceAll: form.replaceAll });
    await auditArticle(tx, actor, before ? "article.reimport" : "article.import", imported.id, before, await loadArticleSnapshot(tx, imported.id));
    return imported;
  });
  return { ok: true, ...result, title };
}
