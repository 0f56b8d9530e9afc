import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { articles, newsletterIssues, newsletters, type Newsletter, type NewsletterIssue } from "@/db/schema";
import { decideAccess } from "@/lib/access/decide-access";
import type { Reader } from "@/lib/access/reader";
import { findArticleMeta, isPublished, loadBlockWordCounts, loadBlocks, type ArticleMeta } from "@/lib/content/articles";
import type { Block } from "@/lib/content/blocks";
import { markdownToBlocks } from "@/lib/content/markdown";
import { previewBlockCount } from "@/lib/content/preview-cut";
import { loadReadingSettings } from "@/lib/settings";

/**
 * What an issue carries. For an article, `open` is the lead-in exactly as the paywall cuts it,
 * and the locked part is loaded only when a recipient's decision says `full` (never for an
 * issue whose recipients are all free). For Markdown written for the email, everyone gets it.
 */
export interface IssueContent {
  issue: NewsletterIssue;
  newsletter: Newsletter;
  article: ArticleMeta | null;
  open: Block[];
  /** The rest of the article, for a recipient `levelFor` allows; [] for a Markdown issue. */
  locked(): Promise<Block[]>;
  levelFor(reader: Reader, now: Date): "full" | "preview";
}

export class IssueNotSendable extends Error {}

export async function loadIssueContent(db: Db, issueId: number): Promise<IssueContent> {
  const [row] = await db
    .select({ issue: newsletterIssues, newsletter: newsletters })
    .from(newsletterIssues)
    .innerJoin(newsletters, eq(newsletters.id, newsletterIssues.newsletterId))
    .where(eq(newsletterIssues.id, issueId));
  if (!row) throw new IssueNotSendable(`No issue ${issueId}`);
  const { issue, newsletter } = row;
  if (issue.articleId === null) {
    const open = markdownToBlocks(issue.markdown ?? "");
    return { issue, newsletter, article: null, open, locked: async () => [], levelFor: () => "full" };
  }
  const article = await findArticleById(db, issue.articleId);
  if (!article || !isPublished(article, new Date())) throw new IssueNotSendable("The issue's article is not published.");
  const settings = await loadReadingSettings(db);
  const cut = previewBlockCount(await loadBlockWordCounts(db, article.id), article.leadInBlocks ?? settings.defaultLeadInBlocks);
  const open = await loadBlocks(db, article.id, 0, cut);
  let locked: Promise<Block[]> | null = null;
  return {
    issue,
    newsletter,
    article,
    open,
    locked: () => (locked ??= loadBlocks(db, article.id, cut)),
    // The web's rules with no meter: a metered article is the lead-in for a free reader.
    levelFor: (reader, now) => decideAccess({ reader, article, meter: null, now, policy: settings.policy, intent: "recheck" }).level,
  };
}

async function findArticleById(db: Db, id: number): Promise<ArticleMeta | null> {
  const [row] = await db.select({ slug: articles.slug }).from(articles).where(eq(articles.id, id));
  return row ? findArticleMeta(db, row.slug) : null;
}
