import "server-only";
import { getDb } from "@/db/client";
import { ttlCache } from "@/lib/cache/ttl-cache";
import { listPublishedArticles, nextScheduledPublication, type ArticleMeta } from "./articles";

interface FrontPage {
  articles: ArticleMeta[];
  /** The list changes without an announcement when a scheduled article comes out. */
  nextPublication: Date | null;
}

const latest = ttlCache<"latest", FrontPage>("front-page", {
  forgetOn: { articles: true },
  expiresAt: (page) => page.nextPublication?.getTime() ?? null,
});

/** The latest published articles, newest first. Metadata only: the front page shows no body text. */
export async function getLatestArticles(): Promise<ArticleMeta[]> {
  const page = await latest.get("latest", async () => {
    const db = await getDb();
    const now = new Date();
    const [articles, nextPublication] = await Promise.all([listPublishedArticles(db, now, 30), nextScheduledPublication(db, now)]);
    return { articles, nextPublication };
  });
  return page.articles;
}
