"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { adminAction, refused, refusedField, type ActionResult } from "@/lib/admin/shared/action";
import { importArticleAsAdmin, saveArticleAsAdmin, unpublishArticle } from "@/lib/admin/articles/commands";
import { articleFormSchema, importFormSchema } from "@/lib/admin/articles/form";
import { listed } from "@/lib/content/import-article";

/** Creates or edits an article; on success opens its edit page again with the saved state. */
export const saveArticleAction = adminAction(articleFormSchema, async (form, admin): Promise<ActionResult> => {
  const outcome = await saveArticleAsAdmin(await getDb(), admin, form);
  if (!outcome.ok) return outcome;
  redirect(`/admin/articles/${outcome.id}?saved=${outcome.created ? "created" : "updated"}`);
});

/** Takes an article off the site: back to a draft. */
export const unpublishArticleAction = adminAction(
  z.object({ id: z.coerce.number<string>().int().positive() }),
  async ({ id }, admin): Promise<ActionResult> => {
    const outcome = await unpublishArticle(await getDb(), admin, id);
    if (!outcome) return refused("This article no longer exists.");
    redirect(`/admin/articles/${id}?saved=unpublished`);
  },
);

export interface ImportedArticle {
  id: number;
  path: string;
  title: string;
  created: boolean;
  leadInWarning: string | null;
}

/**
 * Imports an uploaded plain-text article, published now. A re-import replaces its headline and
 * body and keeps its date and the rest, unless "replace everything" is ticked.
 */
export const importArticleAction = adminAction(
  importFormSchema,
  async ({ file, ...options }, admin): Promise<ActionResult<ImportedArticle>> => {
    const outcome = await importArticleAsAdmin(await getDb(), admin, options, await file.text());
    if (!outcome.ok) return refusedField(outcome.field, outcome.message, "Nothing was imported.");
    return {
      ok: true,
      message: outcome.created
        ? `Imported and published “${outcome.title}”.`
        : outcome.kept
          ? `Updated “${outcome.title}”: replaced the headline and body; kept its publication date, ${listed(outcome.keptFields)}.`
          : `Updated “${outcome.title}”: replaced everything but its publication date.`,
      data: { id: outcome.id, path: outcome.path, title: outcome.title, created: outcome.created, leadInWarning: outcome.leadInWarning },
    };
  },
);
