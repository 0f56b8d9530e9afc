import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { newsletterIssues, newsletterSettings, newsletters, type NewsletterIssue } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";
import { sendMail } from "@/lib/mail/transport";
import { queueIssue } from "@/lib/newsletters/enqueue";
import { loadIssueContent } from "@/lib/newsletters/issue-content";
import { issueEmail } from "@/lib/newsletters/mail/issue-email";
import { resendUnknown } from "@/lib/newsletters/outbox";
import { readersFor } from "@/lib/newsletters/recipient-access";
import { recordAudit } from "../audit/record";
import type { AdminActor } from "../shared/action";
import type { IssueForm, NewsletterForm, NewsletterSettingsForm } from "./form";

/** The admin's changes to newsletters, each in one transaction with its audit entry. */

export async function saveNewsletter(db: Db, admin: AdminActor, id: number | null, form: NewsletterForm): Promise<number> {
  return db.transaction(async (tx) => {
    const [before] = id === null ? [] : await tx.select().from(newsletters).where(eq(newsletters.id, id)).for("update");
    if (id !== null && !before) throw new NewsletterNotFound();
    const [after] = before
      ? await tx.update(newsletters).set({ ...form, updatedAt: new Date() }).where(eq(newsletters.id, before.id)).returning()
      : await tx.insert(newsletters).values(form).returning();
    await recordAudit(tx, { actor: admin, action: before ? "newsletter.update" : "newsletter.create", targetType: "newsletter", targetId: after!.id, before: before ?? null, after });
    await announceChange(tx, "newsletters");
    return after!.id;
  });
}

export async function setNewsletterArchived(db: Db, admin: AdminActor, id: number, archived: boolean): Promise<void> {
  await db.transaction(async (tx) => {
    const [after] = await tx.update(newsletters).set({ archivedAt: archived ? new Date() : null, updatedAt: new Date() }).where(eq(newsletters.id, id)).returning();
    if (!after) throw new NewsletterNotFound();
    await recordAudit(tx, { actor: admin, action: archived ? "newsletter.archive" : "newsletter.restore", targetType: "newsletter", targetId: id, before: null, after });
    await announceChange(tx, "newsletters");
  });
}

/** Creates a draft, or edits one that has not been sent. */
export async function saveIssueDraft(db: Db, admin: AdminActor, target: { issueId: number } | { newsletterId: number }, form: IssueForm): Promise<number> {
  const values = {
    subject: form.subject,
    segment: form.segment,
    markdown: form.source === "markdown" ? form.markdown : null,
    articleId: form.source === "article" ? form.articleId : null,
    updatedAt: new Date(),
  };
  return db.transaction(async (tx) => {
    let issue: NewsletterIssue | undefined;
    if ("issueId" in target) {
      const [before] = await tx.select().from(newsletterIssues).where(eq(newsletterIssues.id, target.issueId)).for("update");
      if (!before) throw new NewsletterNotFound();
      if (before.state !== "draft") throw new IssueAlreadySent();
      [issue] = await tx.update(newsletterIssues).set(values).where(eq(newsletterIssues.id, before.id)).returning();
    } else {
      [issue] = await tx.insert(newsletterIssues).values({ ...values, newsletterId: target.newsletterId, createdBy: admin.id }).returning();
    }
    await recordAudit(tx, { actor: admin, action: "newsletter_issue.save", targetType: "newsletter_issue", targetId: issue!.id, before: null, after: issue });
    return issue!.id;
  });
}

/** The issue as the admin would receive it (their own access decides the article's text), sent now. */
export async function sendTestIssue(db: Db, admin: AdminActor, issueId: number): Promise<void> {
  const content = await loadIssueContent(db, issueId);
  const reader = (await readersFor(db, [admin.id])).get(admin.id)!;
  const locked = content.article && content.levelFor(reader, new Date()) === "full" ? await content.locked() : null;
  const mail = issueEmail(content, { outboxId: 0, userId: admin.id, email: admin.email! }, content.article ? locked : null);
  await sendMail({ ...mail, subject: `[Test] ${mail.subject}` });
}

export async function sendIssue(db: Db, admin: AdminActor, issueId: number): Promise<number> {
  const queued = await queueIssue(db, issueId);
  await recordAudit(db, { actor: admin, action: "newsletter_issue.send", targetType: "newsletter_issue", targetId: issueId, before: null, after: { queued } });
  return queued;
}

export async function resendUnknownRows(db: Db, admin: AdminActor, issueId: number): Promise<number> {
  const n = await resendUnknown(db, issueId);
  await recordAudit(db, { actor: admin, action: "newsletter_issue.resend_unknown", targetType: "newsletter_issue", targetId: issueId, before: null, after: { requeued: n } });
  return n;
}

export async function saveNewsletterSettings(db: Db, admin: AdminActor, form: NewsletterSettingsForm): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(newsletterSettings).where(eq(newsletterSettings.id, 1)).for("update");
    const values = { blockedDomains: [...new Set(form.blockedDomains)], messagesPerSecond: form.messagesPerSecond, updatedAt: new Date() };
    const [after] = await tx.insert(newsletterSettings).values({ id: 1, ...values }).onConflictDoUpdate({ target: newsletterSettings.id, set: values }).returning();
    await recordAudit(tx, { actor: admin, action: "newsletter_settings.update", targetType: "newsletter_settings", targetId: 1, before: before ?? null, after });
  });
}

export class NewsletterNotFound extends Error {
  constructor() {
    super("There is no such newsletter or issue.");
  }
}

export class IssueAlreadySent extends Error {
  constructor() {
    super("This issue has already been sent: it can no longer be edited.");
  }
}
