import type { ArticleAccessLevel } from "@/db/schema";
import type { Publication } from "./form";
import { toUtcLocal } from "./form";
import type { ArticleSnapshot } from "./queries";
import { articleStatus, type ArticleStatus } from "./form";

/** What the article editor starts from: every field as the form's text. */
export interface EditorValues {
  id: number | null;
  status: ArticleStatus;
  publishedAt: string | null;
  title: string;
  slug: string;
  dek: string;
  byline: string;
  heroImage: string;
  heroImageAlt: string;
  heroImageCredit: string;
  leadInBlocks: string;
  access: ArticleAccessLevel;
  body: string;
  publication: Publication;
  publishAt: string;
}

const PUBLICATION_FOR: Record<ArticleStatus, Publication> = { draft: "draft", scheduled: "schedule", published: "now" };

/** The editor's starting values for an article, or for a new one (a metered draft). */
export function editorValuesFor(article: ArticleSnapshot | null, now = new Date()): EditorValues {
  const publishedAt = article?.publishedAt ? new Date(article.publishedAt) : null;
  const status = articleStatus(publishedAt, now);
  return {
    id: article?.id ?? null,
    status,
    publishedAt: article?.publishedAt ?? null,
    title: article?.title ?? "",
    slug: article?.slug ?? "",
    dek: article?.dek ?? "",
    byline: article?.byline ?? "",
    heroImage: article?.heroImage ?? "",
    heroImageAlt: article?.heroImageAlt ?? "",
    heroImageCredit: article?.heroImageCredit ?? "",
    leadInBlocks: article?.leadInBlocks?.toString() ?? "",
    access: article?.access ?? "metered",
    body: article?.body ?? "",
    publication: PUBLICATION_FOR[status],
    publishAt: status === "scheduled" && publishedAt ? toUtcLocal(publishedAt) : "",
  };
}
