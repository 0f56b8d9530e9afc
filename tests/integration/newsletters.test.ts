import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { simpleParser } from "mailparser";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { grants, newsletterIssues, newsletterOutbox, newsletterSettings, newsletterSubscriptions, newsletters, users } from "@/db/schema";
import { PEER_HEADER, peerHeaderValue } from "@/lib/http/client-address";
import { listMailboxMessages, messageLinks, waitForMessage } from "@/lib/mail/mailbox";
import { startSmtpSink } from "@/tools/smtp-sink";
import { type AppDatabase, engines, openAppDatabase } from "./support/databases";

const SITE = "http://ledger.test";
const LEAD = "LEADINWORDS";
const LOCKED = "LOCKEDSECRET";

describe.each(engines)("newsletters on %s", (engine) => {
  let t: AppDatabase;
  let db: Db;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let briefing: number;
  const raw = new Map<string, string[]>();
  const mailbox = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-news-"));

  beforeAll(async () => {
    sink = await startSmtpSink({
      dir: mailbox,
      onMessage: (mime, message) => {
        for (const to of message.to) raw.set(to, [...(raw.get(to) ?? []), mime.toString("utf8")]);
      },
    });
    t = await openAppDatabase(engine, { SITE_URL: SITE, EMAIL_SERVER: sink.url });
    db = t.db;
    briefing = (await db.select().from(newsletters).where(eq(newsletters.name, "The Morning Briefing")))[0]!.id;
  });
  afterAll(async () => {
    await sink.close();
    await t.close();
  });

  async function signUp(fields: Record<string, string>, client = "203.0.113.9"): Promise<Response> {
    const { POST } = await import("@/app/newsletters/signup/route");
    const body = new URLSearchParams({ newsletter: String(briefing), website: "", ...fields });
    return POST(new NextRequest(`${SITE}/newsletters/signup`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", [PEER_HEADER]: peerHeaderValue(client) } }));
  }
  const tokenOf = (link: string) => new URL(link).pathname.split("/").at(-1)!;
  const ctx = (token: string) => ({ params: Promise.resolve({ token }) });
  const userByEmail = async (email: string) => (await db.select().from(users).where(eq(users.email, email)))[0];
  const mailsTo = async (email: string) => (await listMailboxMessages(mailbox, { to: email })).length;

  it("double opt-in: the mail's link shows a button (GET changes nothing); its POST creates the verified account and the subscription", async () => {
    const res = await signUp({ email: "Reader@Ledger.test" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${SITE}/newsletters/check-email`);
    const mail = await waitForMessage(mailbox, { to: "reader@ledger.test", timeoutMs: 10_000 });
    const link = messageLinks(mail).find((l) => l.includes("/newsletters/confirm/"))!;
    const route = await import("@/app/newsletters/confirm/[token]/route");
    const page = await route.GET(new NextRequest(link), ctx(tokenOf(link)));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Confirm my subscription");
    expect(await userByEmail("reader@ledger.test")).toBeUndefined();
    const done = await route.POST(new NextRequest(link, { method: "POST" }), ctx(tokenOf(link)));
    expect(await done.text()).toContain('data-newsletter-result="confirmed"');
    const user = (await userByEmail("reader@ledger.test"))!;
    expect(user.emailVerified).not.toBeNull();
    const [sub] = await db.select().from(newsletterSubscriptions).where(eq(newsletterSubscriptions.userId, user.id));
    expect(sub).toMatchObject({ newsletterId: briefing, unsubscribedAt: null });
  });

  it("an expired confirmation link (over 24 hours) confirms nothing", async () => {
    const { confirmationToken } = await import("@/lib/newsletters/signed-links");
    const token = confirmationToken("late@ledger.test", [briefing], new Date(Date.now() - 25 * 3_600_000));
    const route = await import("@/app/newsletters/confirm/[token]/route");
    expect((await route.GET(new NextRequest(`${SITE}/x`), ctx(token))).status).toBe(410);
    expect((await route.POST(new NextRequest(`${SITE}/x`, { method: "POST" }), ctx(token))).status).toBe(410);
    expect(await userByEmail("late@ledger.test")).toBeUndefined();
  });

  it("the honeypot, a blocked domain and the rate limit are answered like success, and send nothing", async () => {
    expect((await signUp({ email: "bot@ledger.test", website: "http://spam" })).headers.get("location")).toContain("/newsletters/check-email");
    expect(await mailsTo("bot@ledger.test")).toBe(0);

    await db.update(newsletterSettings).set({ blockedDomains: ["spam.test"] });
    const blocked = await signUp({ email: "x@mail.spam.test" });
    expect([blocked.status, blocked.headers.get("location")]).toEqual([303, `${SITE}/newsletters/check-email`]);
    expect(await mailsTo("x@mail.spam.test")).toBe(0);

    for (let i = 0; i < 4; i++) expect((await signUp({ email: "many@ledger.test" }, `198.51.100.${i}`)).status).toBe(303);
    expect(await mailsTo("many@ledger.test")).toBe(3);
  });

  it.each([
    ["a malformed address", "not-an-address", "valid email address"],
    ["an address over 254 characters", `${"a".repeat(250)}@ledger.test`, "too long"],
    ["a header-injection attempt", "evil@ledger.test\r\nBcc: victim@ledger.test", "valid email address"],
  ])("%s gets a clear 400 and changes nothing", async (_what, email, message) => {
    const res = await signUp({ email });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(message);
    expect(await mailsTo("victim@ledger.test")).toBe(0);
    expect(await mailsTo("evil@ledger.test")).toBe(0);
  });

  it("tampered and foreign signed links get a clear 400 and change nothing", async () => {
    const user = (await userByEmail("reader@ledger.test"))!;
    const { unsubscribeToken, preferencesToken } = await import("@/lib/newsletters/signed-links");
    const good = unsubscribeToken(user.id, briefing);
    const tampered = `${good.slice(0, -3)}${good.endsWith("A") ? "B" : "A"}xx`;
    const unsub = await import("@/app/unsubscribe/[token]/route");
    const prefs = await import("@/app/newsletters/preferences/[token]/route");
    for (const res of [
      await unsub.POST(new NextRequest(`${SITE}/u`, { method: "POST" }), ctx(tampered)),
      await unsub.POST(new NextRequest(`${SITE}/u`, { method: "POST" }), ctx(preferencesToken(user.id))),
      await prefs.POST(new NextRequest(`${SITE}/p`, { method: "POST", body: new URLSearchParams({ intent: "unsubscribe-all" }) }), ctx(good)),
    ]) {
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("nothing was changed");
    }
    const [sub] = await db.select().from(newsletterSubscriptions).where(eq(newsletterSubscriptions.userId, user.id));
    expect(sub?.unsubscribedAt).toBeNull();
  });

  it("an article issue: RFC 8058 headers on every copy, no locked text for a free subscriber, the full text for an entitled one; the header's POST unsubscribes without a session", async () => {
    const { saveArticle } = await import("@/lib/content/articles");
    const paragraphs = [`${LEAD} opens the story with enough words to count.`, `${LEAD} goes on a little.`, ...Array.from({ length: 6 }, (_, i) => `${LOCKED}${i} is for subscribers only, with words.`)];
    const article = await saveArticle(db, { slug: "paid-story", title: "A paid story", publishedAt: new Date(Date.now() - 60_000), access: "subscribers", leadInBlocks: 2, blocks: paragraphs.map((text) => ({ kind: "paragraph" as const, text })) });
    const free = (await userByEmail("reader@ledger.test"))!;
    const [paid] = await db.insert(users).values({ email: "paid@ledger.test", emailVerified: new Date() }).returning();
    await db.insert(grants).values({ userId: paid!.id, reason: "test" });
    const { subscribe } = await import("@/lib/newsletters/subscriptions");
    await subscribe(db, paid!.id, [briefing]);

    const [issue] = await db.insert(newsletterIssues).values({ newsletterId: briefing, subject: "Today: a paid story", articleId: article.id }).returning();
    const { queueIssue } = await import("@/lib/newsletters/enqueue");
    expect(await queueIssue(db, issue!.id)).toBe(2);
    const { runSender } = await import("@/lib/newsletters/sender");
    expect((await runSender(db, { untilIdle: true, idleMs: 50 })).sent).toBe(2);

    const copies = { free: raw.get("reader@ledger.test")!.at(-1)!, paid: raw.get("paid@ledger.test")!.at(-1)! };
    // The header block, unfolded (a long header continues on lines that start with white space).
    const headersOf = (mime: string) => mime.replace(/\r/g, "").split("\n\n")[0]!.replace(/\n[ \t]+/g, " ");
    for (const mime of Object.values(copies).map(headersOf)) {
      expect(mime).toMatch(/^List-Unsubscribe: <http:\/\/ledger\.test\/unsubscribe\/[\w.-]+>$/m);
      expect(mime).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    }
    const freeMail = await simpleParser(copies.free);
    const paidMail = await simpleParser(copies.paid);
    expect(`${freeMail.text}${freeMail.html}`).toContain(LEAD);
    expect(`${freeMail.text}${freeMail.html}`).toContain("Read on");
    expect(`${freeMail.text}${freeMail.html}${copies.free}`).not.toContain(LOCKED);
    for (let i = 0; i < 6; i++) expect(paidMail.text).toContain(`${LOCKED}${i}`);

    const unsubscribeUrl = /^List-Unsubscribe: <([^>]+)>/m.exec(headersOf(copies.free))![1]!;
    const route = await import("@/app/unsubscribe/[token]/route");
    const get = await route.GET(new NextRequest(unsubscribeUrl), ctx(tokenOf(unsubscribeUrl)));
    expect(await get.text()).toContain("Unsubscribe");
    const active = and(eq(newsletterSubscriptions.userId, free.id), eq(newsletterSubscriptions.newsletterId, briefing));
    expect((await db.select().from(newsletterSubscriptions).where(active))[0]?.unsubscribedAt).toBeNull();
    const post = await route.POST(
      new NextRequest(unsubscribeUrl, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { "content-type": "application/x-www-form-urlencoded" } }),
      ctx(tokenOf(unsubscribeUrl)),
    );
    expect(await post.text()).toContain('data-newsletter-result="unsubscribed"');
    expect((await db.select().from(newsletterSubscriptions).where(active))[0]?.unsubscribedAt).not.toBeNull();
    const { issueReport } = await import("@/lib/admin/newsletters/report");
    const [sent] = await db.select().from(newsletterIssues).where(eq(newsletterIssues.id, issue!.id));
    expect(await issueReport(db, sent!)).toMatchObject({ state: "sent", percent: 100, unsubscribedSince: 1, byState: { sent: 2 } });
  });

  it("the signed preferences page changes lists with no session, and segments pick free or paid readers", async () => {
    const user = (await userByEmail("reader@ledger.test"))!;
    const { preferencesToken } = await import("@/lib/newsletters/signed-links");
    const prefs = await import("@/app/newsletters/preferences/[token]/route");
    const token = preferencesToken(user.id);
    const save = (body: URLSearchParams) => prefs.POST(new NextRequest(`${SITE}/p`, { method: "POST", body }), ctx(token));
    expect(await (await save(new URLSearchParams({ intent: "save", newsletter: String(briefing) }))).text()).toContain("Your choices are saved.");
    const on = async () => (await db.select().from(newsletterSubscriptions).where(eq(newsletterSubscriptions.userId, user.id)))[0]?.unsubscribedAt === null;
    expect(await on()).toBe(true);

    const [issue] = await db.insert(newsletterIssues).values({ newsletterId: briefing, subject: "For free readers", markdown: "Hello.", segment: "free" }).returning();
    const { countIssueRecipients, queueIssue } = await import("@/lib/newsletters/enqueue");
    // The admin's confirmation counts exactly whom sending picks.
    expect(await countIssueRecipients(db, issue!.id)).toBe(1);
    expect(await queueIssue(db, issue!.id)).toBe(1);
    expect((await db.select().from(newsletterOutbox).where(eq(newsletterOutbox.issueId, issue!.id))).map((r) => r.email)).toEqual(["reader@ledger.test"]);
    await expect(queueIssue(db, issue!.id)).rejects.toThrow("already been sent");

    await save(new URLSearchParams({ intent: "unsubscribe-all" }));
    expect(await on()).toBe(false);
  });

  it("paying puts a reader on the paid-only lists once: a list they left stays left", async () => {
    const user = (await userByEmail("reader@ledger.test"))!;
    const [paid] = await db.insert(newsletters).values({ name: "For subscribers", senderName: "The Ledger", audience: "paid" }).returning();
    const { enrolInPaidNewsletters, unsubscribe } = await import("@/lib/newsletters/subscriptions");
    const row = async () => (await db.select().from(newsletterSubscriptions).where(eq(newsletterSubscriptions.newsletterId, paid!.id)))[0];
    await enrolInPaidNewsletters(db, user.id);
    expect((await row())?.unsubscribedAt).toBeNull();
    await unsubscribe(db, user.id, paid!.id);
    await enrolInPaidNewsletters(db, user.id);
    expect((await row())?.unsubscribedAt).not.toBeNull();
  });
});
