import { count, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { auditLog, newsletterIssues, newsletterOutbox, newsletters, newsletterSubscriptions, users } from "@/db/schema";
import { adminSession, signOutAndClose } from "./support/admin-harness";
import { form, redirectOf } from "./support/action-forms";
import { type AppDatabase, engines, openAppDatabase } from "./support/databases";

vi.mock("next/headers", async () => (await import("./support/next-request")).nextHeaders());
vi.mock("next/cache", async (original) => (await import("./support/next-request")).nextCache(await original()));

describe.each(engines)("newsletter admin on %s", (engine) => {
  let t: AppDatabase;
  let db: Db;

  beforeAll(async () => {
    t = await openAppDatabase(engine);
    db = t.db;
    await adminSession(db);
  });
  afterAll(() => signOutAndClose(t));

  it("a header-injection attempt in a sender name or subject is a field error and saves nothing", async () => {
    const actions = await import("@/app/admin/newsletters/actions");
    const [before] = await db.select({ n: count() }).from(auditLog);
    const bad = await actions.saveNewsletterAction(undefined, form({ name: "Evening", senderName: "Desk\r\nBcc: all@ledger.test", audience: "everyone" }));
    expect(bad).toMatchObject({ ok: false, fieldErrors: { senderName: expect.stringContaining("line breaks") } });
    const issue = await actions.saveIssueAction(undefined, form({ newsletterId: "1", subject: "Hi\nBcc: x@ledger.test", source: "markdown", markdown: "Hello", segment: "everyone" }));
    expect(issue).toMatchObject({ ok: false, fieldErrors: { subject: expect.stringContaining("line breaks") } });
    expect(await db.select().from(newsletters)).toHaveLength(1);
    expect(await db.select().from(newsletterIssues)).toHaveLength(0);
    expect((await db.select({ n: count() }).from(auditLog))[0]).toEqual(before);
  });

  it("creates a newsletter, drafts an issue, queues it once, and the progress handler reports it", async () => {
    const actions = await import("@/app/admin/newsletters/actions");
    const created = await redirectOf(actions.saveNewsletterAction(undefined, form({ name: "Evening", senderName: "The Evening Desk", audience: "everyone", subscribeOnSignup: "on" })));
    const newsletterId = Number(/\/admin\/newsletters\/(\d+)/.exec(created)![1]);
    const [user] = await db.select().from(users).where(eq(users.email, "boss@ledger.test"));
    await db.insert(newsletterSubscriptions).values({ userId: user!.id, newsletterId });
    const drafted = await redirectOf(actions.saveIssueAction(undefined, form({ newsletterId: String(newsletterId), subject: "Tonight", source: "markdown", markdown: "Hello.", segment: "everyone" })));
    const issueId = Number(/issues\/(\d+)/.exec(drafted)![1]);
    expect(await actions.sendIssueAction(undefined, form({ id: String(issueId) }))).toEqual({ ok: true, message: "Sending to 1 subscriber." });
    expect(await actions.sendIssueAction(undefined, form({ id: String(issueId) }))).toMatchObject({ ok: false, message: "This issue has already been sent." });
    expect(await db.select().from(newsletterOutbox).where(eq(newsletterOutbox.issueId, issueId))).toHaveLength(1);
    const { GET } = await import("@/app/admin/newsletters/issues/[id]/progress/route");
    const res = await GET(new NextRequest("http://localhost/x"), { params: Promise.resolve({ id: String(issueId) }) });
    expect(await res.json()).toMatchObject({ state: "sending", total: 1, percent: 0, byState: { pending: 1 } });
  });
});
