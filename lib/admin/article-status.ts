export const articleStatuses = ["draft", "scheduled", "published"] as const;
export type ArticleStatus = (typeof articleStatuses)[number];

/** Draft: no publication time. Scheduled: a time still to come. Published: a time that has passed. */
export function articleStatus(publishedAt: Date | null, now: Date): ArticleStatus {
  if (!publishedAt) return "draft";
  return publishedAt.getTime() > now.getTime() ? "scheduled" : "published";
}
