import { invalidateArticle } from "@/lib/content/article-cache";
import { invalidateFrontPage } from "@/lib/content/front-page";

/** After an article changes: forget this process's cached copies (rendered templates follow updatedAt). */
export function refreshArticleCaches(...slugs: Array<string | null | undefined>): void {
  for (const slug of slugs) if (slug) invalidateArticle(slug);
  invalidateFrontPage();
}
