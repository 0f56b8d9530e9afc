/**
 * Deleting an account against the Stripe emulator, an SMTP sink and a real database: the
 * subscription ends at once in Stripe and here (a withdrawal with its refund within the EU 14 days,
 * otherwise no refund), the person is erased and signed out everywhere, invoices and consent
 * records stay under the bare id, the confirmation is mailed once; a replayed POST changes nothing
 * more; bad input and an unverified session change nothing; a deletion while Stripe does not
 * answer holds and the sweep carries it out; the admin's deletion is audit-logged; consent records
 * leave after three years (an injected clock); the consent CSV.
 */
import { randomBytes } from "node:crypto";
import { desc, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import {
  accounts,
  auditLog,
  billingMails,
  cancellations,
  consentRecords,
  conversions,
  funnelEvents,
  invoices,
  newsletterSubscriptions,
  newsletters,
  sessions,
  stripeCustomers,
  subscriptions,
  userMeters,
  users,
  withdrawals,
} from "@/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { listMailboxMessages, waitForMessage } from "@/lib/mail/mailbox";
import { form } from "./support/action-forms";
import { cookieState, createSignedInUser } from "./support/admin-harness";
import { billingAppForSuite, subscribeThroughCheckout } from "./support/billing-app";
import { engines } from "./support/databases";
import { mailSinkForSuite } from "./support/mail-sink";

vi.mock("next/headers", async () => (await import("./support/next-request")).nextHeaders());
vi.mock("next/cache", async (original) => (await import("./support/next-request")).nextCache(await original()));

const SITE = "http://ledger.test";

describe.each(engines)("deleting an account on %s", (engine) => {
  const { mailbox } = mailSinkForSuite("delete-account");
  const app = billingAppForSuite(engine, { key: "sk_test_delete", secret: "whsec_delete_0123456789abcdef0123456789abcdef" });
  const db = () => app.db();
  afterEach(() => {
    delete process.env.EU_WITHDRAWAL;
    resetEnvForTests();
    cookieState.sessionToken = null;
  });
  afterAll(() => {
    cookieState.sessionToken = null;
  });

  const setting = (value: "off" | "full_refund") => {
    process.env.EU_WITHDRAWAL = value;
    resetEnvForTests();
  };
  const userRow = async (id: string) => (await (await db()).select().from(users).where(eq(users.id, id)))[0]!;
  const subRow = async (id: string) => (await (await db()).select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, id)))[0]!;
  const confirmations = async (email: string) => (await listMailboxMessages(mailbox, { to: email })).filter((m) => /account is deleted$/.test(m.subject));

  /** A subscriber signed in by a verified link (two devices), with the things a deletion erases. */
  async function subscriber(email: string) {
    const { userId, subscriptionId } = await subscribeThroughCheckout(app, email, "Monthly");
    const d = await db();
    await d.update(users).set({ emailVerified: new Date(), name: "Ada Reader", experimentKey: "rid-key" }).where(eq(users.id, userId));
    const tokens = [randomBytes(24).toString("hex"), randomBytes(24).toString("hex")];
    for (const token of tokens) await d.insert(sessions).values({ sessionToken: token, userId, expires: new Date(Date.now() + 3_600_000) });
    await d.insert(accounts).values({ userId, type: "oauth", provider: "github", providerAccountId: `gh-${userId}` });
    const [list] = await d.insert(newsletters).values({ name: `Morning ${userId.slice(0, 6)}`, senderName: "Desk" }).returning({ id: newsletters.id });
    await d.insert(newsletterSubscriptions).values({ userId, newsletterId: list!.id });
    await d.insert(userMeters).values({ userId, windowStart: 1, articleIds: [1, 2] });
    await d.insert(funnelEvents).values({ type: "article_view", userId });
    await d.insert(conversions).values({ event: "registered", userId, sourceClass: "direct" });
    return { userId, subscriptionId, tokens, email };
  }

  async function post(token: string | null, body: Record<string, string> = { confirm: "delete-my-account" }, origin = SITE) {
    const { POST } = await import("@/app/account/delete/route");
    const headers: Record<string, string> = { origin };
    if (token) headers.cookie = `authjs.session-token=${token}`;
    const response = await POST(new NextRequest(`${SITE}/account/delete`, { method: "POST", headers, body: new URLSearchParams(body) }));
    return { status: response.status, body: await response.text(), location: response.headers.get("location"), cookies: response.headers.getSetCookie() };
  }

  it("with an active subscription: Stripe's copy cancelled, the person erased, every session gone, mailed once; a replay changes nothing", async () => {
    setting("off");
    const reader = await subscriber("leaving@ledger.test");
    const asked = new Date();
    const done = await post(reader.tokens[0]!);
    expect(done.status).toBe(200);
    expect(done.body).toContain("Your account is deleted");
    expect(done.body).toContain("Nothing more will be charged");
    expect(done.cookies.some((c) => c.startsWith("authjs.session-token=;"))).toBe(true);
    await app.settle();

    expect((await app.api.subscriptions.retrieve(reader.subscriptionId)).status).toBe("canceled");
    expect(await subRow(reader.subscriptionId)).toMatchObject({ status: "canceled", userId: reader.userId });
    expect(await (await db()).select().from(cancellations).where(eq(cancellations.stripeSubscriptionId, reader.subscriptionId))).toMatchObject([
      { state: "done", atOnce: true, via: "account_deletion" },
    ]);
    // No refund outside the withdrawal rule.
    expect(await (await db()).select().from(withdrawals).where(eq(withdrawals.stripeSubscriptionId, reader.subscriptionId))).toEqual([]);
    expect(await (await import("@/lib/access/user-entitlement")).loadEntitlement(await db(), reader.userId)).toBeNull();

    expect(await userRow(reader.userId)).toMatchObject({ email: null, name: null, image: null, emailVerified: null, experimentKey: null, role: "reader" });
    expect((await userRow(reader.userId)).deletedAt).toBeInstanceOf(Date);
    const d = await db();
    expect(await d.select().from(sessions).where(eq(sessions.userId, reader.userId))).toEqual([]);
    expect(await d.select().from(accounts).where(eq(accounts.userId, reader.userId))).toEqual([]);
    expect(await d.select().from(newsletterSubscriptions).where(eq(newsletterSubscriptions.userId, reader.userId))).toEqual([]);
    expect(await d.select().from(userMeters).where(eq(userMeters.userId, reader.userId))).toEqual([]);
    expect(await d.select().from(funnelEvents).where(eq(funnelEvents.userId, reader.userId))).toEqual([]);
    expect(await d.select().from(conversions).where(eq(conversions.userId, reader.userId))).toEqual([]);
    // Kept for bookkeeping, under the bare id.
    expect(await d.select().from(consentRecords).where(eq(consentRecords.userId, reader.userId))).toHaveLength(1);
    const [customer] = await d.select().from(stripeCustomers).where(eq(stripeCustomers.userId, reader.userId));
    expect(await d.select().from(invoices).where(eq(invoices.stripeCustomerId, customer!.stripeCustomerId))).not.toEqual([]);

    // The money audit counts the days given up with the account as given back, not as paid days the reader lost.
    const { runMoneyAudit } = await import("@/lib/money-audit/run-audit");
    expect((await runMoneyAudit(await db())).findings.filter((f) => f.subscription === reader.subscriptionId)).toEqual([]);

    const mail = await waitForMessage(mailbox, { to: reader.email, subject: /account is deleted$/, after: asked, timeoutMs: 10_000 });
    expect(mail.text).toContain("Your Monthly subscription ended at once");
    expect(mail.text).toContain("We keep your invoices");

    // The other device's session is gone too; a replayed POST (either cookie) is sent to sign in and changes nothing.
    const replay = await post(reader.tokens[1]!);
    expect(replay.status).toBe(303);
    expect(replay.location).toContain("/signin");
    const { deleteAccount } = await import("@/lib/privacy/delete-account");
    expect(await deleteAccount(await db(), reader.userId, { by: "reader" })).toEqual({ ok: true, deleted: false });
    await app.settle();
    expect(await confirmations(reader.email)).toHaveLength(1);
    expect(await d.select().from(cancellations).where(eq(cancellations.stripeSubscriptionId, reader.subscriptionId))).toHaveLength(1);

    // Once sent, the sweep drops the mail's copy of the erased address.
    const { eraseSentMailOfDeletedAccounts } = await import("@/lib/privacy/retention");
    await eraseSentMailOfDeletedAccounts(await db());
    const mails = await d.select().from(billingMails).where(eq(billingMails.userId, reader.userId));
    expect(mails.filter((m) => m.content !== null)).toEqual([]);
    expect(JSON.stringify(await d.select().from(users).where(eq(users.id, reader.userId)))).not.toContain("leaving@");

    // Signing up again with the address starts a new, empty account.
    const fresh = await createSignedInUser(await db(), reader.email, "reader");
    expect(fresh.id).not.toBe(reader.userId);
    expect(await d.select().from(subscriptions).where(eq(subscriptions.userId, fresh.id))).toEqual([]);
  });

  it("within the EU 14 days it is a withdrawal: ended at once and refunded in full", async () => {
    setting("full_refund");
    const reader = await subscriber("withdraw-delete@ledger.test");
    const { deleteAccount } = await import("@/lib/privacy/delete-account");
    const outcome = await deleteAccount(await db(), reader.userId, { by: "reader" });
    expect(outcome).toMatchObject({ ok: true, deleted: true, ended: [{ kind: "withdrawal", refund: 800, currency: "usd" }] });
    await app.settle();
    expect((await app.api.subscriptions.retrieve(reader.subscriptionId)).status).toBe("canceled");
    expect(await (await db()).select().from(withdrawals).where(eq(withdrawals.stripeSubscriptionId, reader.subscriptionId))).toMatchObject([
      { state: "done", via: "account_deletion", refundAmount: 800 },
    ]);
    const mail = await waitForMessage(mailbox, { to: reader.email, subject: /account is deleted$/, timeoutMs: 10_000 });
    expect(mail.text).toContain("We refund $8.00");
    // One mail: the withdrawal's own receipt is not sent as well.
    expect((await listMailboxMessages(mailbox, { to: reader.email })).filter((m) => /^You have withdrawn/.test(m.subject))).toEqual([]);
  });

  it("bad input, another site or an unverified sign-in: field error or refusal, nothing changed", async () => {
    setting("off");
    const reader = await subscriber("careful@ledger.test");
    const missing = await post(reader.tokens[0]!, {});
    expect(missing.status).toBe(400);
    expect(missing.body).toContain("Press the “Delete my account” button to confirm.");
    expect((await post(reader.tokens[0]!, { confirm: "yes" })).status).toBe(400);
    expect((await post(reader.tokens[0]!, undefined, "http://evil.test")).status).toBe(403);
    await (await db()).update(users).set({ emailVerified: null }).where(eq(users.id, reader.userId));
    const unverified = await post(reader.tokens[0]!);
    expect(unverified.status).toBe(403);
    expect(unverified.body).toContain("first sign in with the link we email");
    expect(await userRow(reader.userId)).toMatchObject({ email: "careful@ledger.test", deletedAt: null });
    expect(await subRow(reader.subscriptionId)).toMatchObject({ status: "active" });
    expect(await (await db()).select().from(sessions).where(eq(sessions.userId, reader.userId))).toHaveLength(2);
    expect(await (await db()).select().from(cancellations).where(eq(cancellations.stripeSubscriptionId, reader.subscriptionId))).toEqual([]);
  });

  it("while Stripe does not answer: recorded, reading ends, erased, mailed; the sweep cancels in Stripe later, once", async () => {
    setting("off");
    const reader = await subscriber("stripe-down-delete@ledger.test");
    process.env.STRIPE_API_BASE = "http://127.0.0.1:9";
    resetEnvForTests();
    try {
      expect((await post(reader.tokens[0]!)).status).toBe(200);
    } finally {
      process.env.STRIPE_API_BASE = app.emulator.url;
      resetEnvForTests();
    }
    await app.settle();
    expect(await confirmations(reader.email)).toHaveLength(1);
    expect(await userRow(reader.userId)).toMatchObject({ email: null });
    const [waiting] = await (await db()).select().from(cancellations).where(eq(cancellations.stripeSubscriptionId, reader.subscriptionId));
    expect(waiting).toMatchObject({ state: "pending", atOnce: true, attempts: 1 });
    expect((await app.api.subscriptions.retrieve(reader.subscriptionId)).status).toBe("active");
    // A webhook's copy meanwhile keeps it ended here.
    const { pullSubscriptionFromStripe } = await import("@/lib/billing/pull-subscription");
    await (await db()).transaction((tx) => pullSubscriptionFromStripe(tx, reader.subscriptionId, null));
    expect(await subRow(reader.subscriptionId)).toMatchObject({ status: "canceled" });

    const { pushDueCancellations } = await import("@/lib/retention/recorded-cancellation");
    expect(await pushDueCancellations(await db(), new Date(Date.now() + 60_000))).toBe(1);
    expect(await pushDueCancellations(await db(), new Date(Date.now() + 3_600_000))).toBe(0);
    await app.settle();
    expect((await app.api.subscriptions.retrieve(reader.subscriptionId)).status).toBe("canceled");
    expect((await (await db()).select().from(cancellations).where(eq(cancellations.stripeSubscriptionId, reader.subscriptionId)))[0]).toMatchObject({ state: "done", attempts: 2 });
    expect(await confirmations(reader.email)).toHaveLength(1);
  });

  it("the admin deletes for a request by mail: typed confirmation, audit-logged without the address, once", async () => {
    setting("off");
    const reader = await subscriber("by-letter@ledger.test");
    const admin = await createSignedInUser(await db(), "boss-delete@ledger.test", "admin");
    const { deleteReaderAction } = await import("@/app/admin/subscribers/actions");
    // A reader may not.
    cookieState.sessionToken = reader.tokens[0]!;
    await expect(deleteReaderAction(undefined, form({ userId: reader.userId, confirmation: reader.email }))).rejects.toMatchObject({ digest: expect.stringContaining("404") });
    cookieState.sessionToken = admin.token;
    expect(await deleteReaderAction(undefined, form({ userId: reader.userId, confirmation: "" }))).toMatchObject({ ok: false, fieldErrors: { confirmation: expect.any(String) } });
    expect(await deleteReaderAction(undefined, form({ userId: reader.userId, confirmation: "someone-else@ledger.test" }))).toMatchObject({ ok: false, fieldErrors: { confirmation: expect.any(String) } });
    expect(await userRow(reader.userId)).toMatchObject({ email: reader.email, deletedAt: null });

    expect(await deleteReaderAction(undefined, form({ userId: reader.userId, confirmation: "BY-LETTER@ledger.test" }))).toMatchObject({ ok: true });
    await app.settle();
    expect((await app.api.subscriptions.retrieve(reader.subscriptionId)).status).toBe("canceled");
    expect(await userRow(reader.userId)).toMatchObject({ email: null });
    const [entry] = await (await db()).select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    expect(entry).toMatchObject({ action: "reader.delete", targetType: "user", targetId: reader.userId, actorUserId: admin.id });
    expect(JSON.stringify(entry)).not.toContain("by-letter@");
    const mail = await waitForMessage(mailbox, { to: reader.email, subject: /account is deleted$/, timeoutMs: 10_000 });
    expect(mail.text).toContain("As you asked us");
    expect(await deleteReaderAction(undefined, form({ userId: reader.userId, confirmation: "anything" }))).toMatchObject({ ok: true, message: expect.stringContaining("deleted already") });
    expect(await (await db()).select().from(auditLog).where(eq(auditLog.action, "reader.delete"))).toHaveLength(1);
  });

  it("consent records: shown on /account, exported as CSV by the admin, removed three years after their subscription ended", async () => {
    setting("off");
    const reader = await subscriber("consenting@ledger.test");
    const { GET: account } = await import("@/app/account/route");
    const page = await (await account(new NextRequest(`${SITE}/account`, { headers: { cookie: `authjs.session-token=${reader.tokens[0]}` } }))).text();
    expect(page).toContain('data-testid="consent-record"');
    expect(page).toMatch(/Monthly: \$8\.00 per month/);
    expect(page).toContain('href="/account/delete"');

    const admin = await createSignedInUser(await db(), "boss-csv@ledger.test", "admin");
    cookieState.sessionToken = admin.token;
    const { GET: csv } = await import("@/app/admin/subscribers/consents/route");
    const response = await csv(new Request(`${SITE}/admin/subscribers/consents?user=${reader.userId}`));
    expect(response.headers.get("content-type")).toContain("text/csv");
    const lines = (await response.text()).trim().split("\r\n");
    expect(lines[0]).toBe("subscription,user_id,email,plan,accepted_at,shown_at,terms_version,terms_sha256,terms,checkout_session");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(reader.subscriptionId);
    expect(lines[1]).toContain("consenting@ledger.test");

    // The injected clock: records of subscriptions ended over three years before it go; a live one stays.
    const d = await db();
    const base = { stripeCheckoutSessionId: "cs_old", termsText: "Old terms", termsVersion: "terms-old", termsHash: "0".repeat(64) };
    const now = new Date("2030-06-01T00:00:00Z");
    await d.insert(consentRecords).values([
      { ...base, stripeSubscriptionId: "sub_gone_long_ago", shownAt: new Date("2025-01-01T00:00:00Z"), acceptedAt: new Date("2025-01-01T00:01:00Z") },
      { ...base, stripeSubscriptionId: "sub_gone_recently", shownAt: new Date("2026-01-01T00:00:00Z"), acceptedAt: new Date("2026-01-01T00:01:00Z") },
    ]);
    await d.insert(subscriptions).values({
      stripeSubscriptionId: "sub_gone_recently",
      stripeCustomerId: "cus_nobody",
      status: "canceled",
      stripePriceId: "price_x",
      stripeCreated: new Date("2026-01-01T00:01:00Z"),
      endedAt: new Date("2028-01-01T00:00:00Z"),
    });
    const { removeExpiredConsentRecords } = await import("@/lib/privacy/retention");
    const kept = async () => (await d.select({ id: consentRecords.stripeSubscriptionId }).from(consentRecords)).map((r) => r.id);
    // A day before the older record's three years are over: nothing of these goes.
    await removeExpiredConsentRecords(d, new Date("2027-12-31T00:00:00Z"));
    expect(await kept()).toEqual(expect.arrayContaining(["sub_gone_long_ago", "sub_gone_recently", reader.subscriptionId]));
    expect(await removeExpiredConsentRecords(d, now)).toBeGreaterThanOrEqual(1);
    expect(await kept()).not.toContain("sub_gone_long_ago");
    expect(await kept()).toEqual(expect.arrayContaining(["sub_gone_recently", reader.subscriptionId]));
    // Three years after its subscription ended, the other goes too; a running subscription's record stays.
    await removeExpiredConsentRecords(d, new Date("2031-01-02T00:00:00Z"));
    expect(await kept()).not.toContain("sub_gone_recently");
    expect(await kept()).toContain(reader.subscriptionId);
  });
});
