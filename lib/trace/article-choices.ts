import "server-only";
import { desc } from "drizzle-orm";
import type { Db } from "@/db/client";
import { articles } from "@/db/schema";

/** The newest articles, to suggest in the trace form (any other slug can be typed). */
export function recentArticleChoices(db: Db, limit = 200): Promise<Array<{ slug: string; title: string }>> {
  return db.select({ slug: articles.slug, title: articles.title }).from(articles).orderBy(desc(articles.id)).limit(limit);
}
