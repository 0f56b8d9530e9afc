import { getDb } from "@/db/client";
import { ttlCache } from "@/lib/process-cache";
import { listPublishedArticles, type ArticleMeta } from "./articles";

const latest = ttlCache<"latest", ArticleMeta[]>("front-page", 10_000);

/** The latest published articles, newest first. Metadata only: the front page shows no body text. */
export function getLatestArticles(): Promise<ArticleMeta[]> {
  return latest.get("latest", async () => listPublishedArticles(await getDb(), new Date(), 30));
}

export function invalidateFrontPage(): void {
  latest.clear();
}
