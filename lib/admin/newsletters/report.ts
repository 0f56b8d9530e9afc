import "server-only";
import { and, count, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { newsletterIssues, newsletterOutbox, newsletterSubscriptions, type NewsletterIssue, type NewsletterOutboxState } from "@/db/schema";

export interface IssueProgress {
  state: NewsletterIssue["state"];
  total: number;
  byState: Record<NewsletterOutboxState, number>;
  /** Rows the sender is done with (sent, failed or unknown), 0–100. */
  percent: number;
}

/** How far an issue's send has got: one grouped count over its outbox rows. */
export async function issueProgress(db: Db, issueId: number): Promise<IssueProgress | null> {
  const [issue] = await db.select({ state: newsletterIssues.state }).from(newsletterIssues).where(eq(newsletterIssues.id, issueId));
  if (!issue) return null;
  const rows = await db
    .select({ state: newsletterOutbox.state, n: count() })
    .from(newsletterOutbox)
    .where(eq(newsletterOutbox.issueId, issueId))
    .groupBy(newsletterOutbox.state);
  const byState: Record<NewsletterOutboxState, number> = { pending: 0, sending: 0, sent: 0, failed: 0, unknown: 0 };
  for (const row of rows) byState[row.state] = Number(row.n);
  const total = Object.values(byState).reduce((a, b) => a + b, 0);
  const done = byState.sent + byState.failed + byState.unknown;
  const percent = issue.state === "sent" ? 100 : total === 0 ? 0 : Math.floor((done / total) * 100);
  return { state: issue.state, total, byState, percent };
}

export interface IssueReport extends IssueProgress {
  /** Recipients whose row failed or is unknown, with the reason (the first 200). */
  problems: Array<{ email: string; state: NewsletterOutboxState; error: string | null }>;
  /** Recipients of this issue who have left its newsletter since it was queued. */
  unsubscribedSince: number;
}

export async function issueReport(db: Db, issue: NewsletterIssue): Promise<IssueReport | null> {
  const progress = await issueProgress(db, issue.id);
  if (!progress) return null;
  const [problems, [left]] = await Promise.all([
    db
      .select({ email: newsletterOutbox.email, state: newsletterOutbox.state, error: newsletterOutbox.lastError })
      .from(newsletterOutbox)
      .where(and(eq(newsletterOutbox.issueId, issue.id), inArray(newsletterOutbox.state, ["failed", "unknown"])))
      .orderBy(desc(newsletterOutbox.id))
      .limit(200),
    issue.queuedAt
      ? db
          .select({ n: count() })
          .from(newsletterOutbox)
          .innerJoin(
            newsletterSubscriptions,
            and(eq(newsletterSubscriptions.userId, newsletterOutbox.userId), eq(newsletterSubscriptions.newsletterId, issue.newsletterId)),
          )
          .where(and(eq(newsletterOutbox.issueId, issue.id), gte(newsletterSubscriptions.unsubscribedAt, issue.queuedAt)))
      : Promise.resolve([{ n: 0 }]),
  ]);
  return { ...progress, problems, unsubscribedSince: Number(left?.n ?? 0) };
}

/** Recent issues of a newsletter with their sent counts, newest first. */
export async function listIssues(db: Db, newsletterId: number, limit = 50) {
  return db
    .select({
      issue: newsletterIssues,
      sent: sql<number>`(select count(*)::int from ${newsletterOutbox} o where o.issue_id = ${newsletterIssues.id} and o.state = 'sent')`,
    })
    .from(newsletterIssues)
    .where(eq(newsletterIssues.newsletterId, newsletterId))
    .orderBy(desc(newsletterIssues.createdAt), desc(newsletterIssues.id))
    .limit(limit);
}

export async function findIssue(db: Db, id: number): Promise<NewsletterIssue | null> {
  const [issue] = await db.select().from(newsletterIssues).where(eq(newsletterIssues.id, id));
  return issue ?? null;
}
