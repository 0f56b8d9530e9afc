import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { confirmedRepeatKeys, describeRepeats } from "@/lib/admin/articles/commands";
import { loadArticleSnapshot } from "@/lib/admin/articles/queries";
import { articleRepeats, repeatKey } from "@/lib/content/public-field-repeats";
import { markdownToBlocks } from "@/lib/content/markdown";
import { listDemoImages } from "@/lib/admin/articles/demo-images";
import { editorValuesFor } from "@/lib/admin/articles/editor-values";
import { requireAdmin } from "@/lib/auth/current-user";
import { getReadingSettings } from "@/lib/settings";
import { ArticleEditor } from "../article-editor";
import { UnpublishForm } from "../unpublish-form";

export const metadata: Metadata = { title: "Edit article · Admin" };

const paramsSchema = z.object({ id: z.coerce.number<string>().int().positive().max(2_147_483_647) });
const savedSchema = z.enum(["created", "updated", "unpublished"]).optional().catch(undefined);
const SAVED_MESSAGE = {
  created: "Article created.",
  updated: "Saved. Readers see the change on their next page view.",
  unpublished: "Unpublished: the article is a draft again and is off the site.",
} as const;

// A short fingerprint of the stored article (the key travels to the browser; the article need not twice).
function versionKey(article: object): string {
  let hash = 0;
  for (const char of JSON.stringify(article)) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash.toString(36);
}

export default async function EditArticlePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdmin();
  const parsed = paramsSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const article = await loadArticleSnapshot(await getDb(), parsed.data.id);
  if (!article) notFound();
  const saved = savedSchema.parse((await searchParams).saved);
  const { defaultLeadInBlocks } = await getReadingSettings();
  const values = editorValuesFor(article);
  const confirmed = await confirmedRepeatKeys(await getDb(), article.id);
  const repeats = articleRepeats({ ...article, blocks: markdownToBlocks(article.body) }, defaultLeadInBlocks).filter((r) => !confirmed.has(repeatKey(r)));

  return (
    <section className="admin-page admin-page--wide">
      <p className="admin-breadcrumb">
        <Link href="/admin/articles">Articles</Link>
      </p>
      <header className="admin-page__header">
        <h1>Edit article</h1>
        <div className="actions">
          {values.status === "published" && (
            <a className="button button--secondary" href={`/articles/${article.slug}`}>
              View on the site
            </a>
          )}
          {values.status !== "draft" && <UnpublishForm id={article.id} />}
        </div>
      </header>
      {saved && (
        <p className="form-message" role="status">
          {SAVED_MESSAGE[saved]}
        </p>
      )}
      {repeats.length > 0 && (
        <div className="form-message form-message--error" role="alert" data-repeat-warning>
          <p>Locked text in a public field: every stranger reads it. It cannot be published until you change it or confirm it is intended.</p>
          <ul>
            {describeRepeats(repeats)
              .split("\n")
              .map((line) => (
                <li key={line}>{line}</li>
              ))}
          </ul>
        </div>
      )}
      {/* Keyed by the saved state, so the editor starts again from what was stored. */}
      <ArticleEditor key={versionKey(article)} initial={values} images={listDemoImages()} defaultLeadIn={defaultLeadInBlocks} />
    </section>
  );
}
