/**
 * Cancelling without signing in, against the Stripe emulator, a real SMTP sink and a real
 * database: an address gets one link per subscription by mail; the link's button cancels at
 * period end in Stripe and mails a receipt with the date and time, once; the link works once,
 * expires, and is bound to the owner and the address; an address with no subscription gets the
 * same answer and no mail; bad input gets field errors and records nothing; a cancel made while
 * Stripe does not answer is kept, receipted, and reaches Stripe on the next sweep.
 */
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { billingMails, cancellations, cancelRequests, subscriptions, users } from "@/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { listMailboxMessages, messageLinks, waitForMessage } from "@/lib/mail/mailbox";
import { billingAppForSuite, subscribeThroughCheckout } from "./support/billing-app";
import { mailSinkForSuite } from "./support/mail-sink";
import { engines } from "./support/databases";

describe.each(engines)("cancel by mailed link on %s", (engine) => {
  const { mailbox } = mailSinkForSuite("cancel");
  const app = billingAppForSuite(engine, { key: "sk_test_cancel_mail", secret: "whsec_cancel_0123456789abcdef0123456789abcd" });

  const db = () => app.db();
  const row = async (id: string) => (await (await db()).select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, id)))[0]!;

  async function subscriber(email: string, planName = "Monthly") {
    const { userId, subscriptionId } = await subscribeThroughCheckout(app, email, planName);
    return { userId, id: subscriptionId };
  }


  /** Asks on /cancel's behalf and waits until the request is resolved and its mail sent. */
  async function ask(email: string, subscription?: string) {
    const { requestCancelLinks, cancelRequestSchema, cancelRequestsIdle } = await import("@/lib/retention/cancel-requests");
    const outcome = await requestCancelLinks(await db(), cancelRequestSchema.parse({ email, subscription }), "203.0.113.9");
    await cancelRequestsIdle();
    await app.settle();
    return outcome;
  }

  async function linksMailedTo(email: string, after: Date) {
    const message = await waitForMessage(mailbox, { to: email, subject: /^Cancel your /, after, timeoutMs: 10_000 });
    return messageLinks(message).filter((l, i, all) => l.includes("/cancel/confirm/") && all.indexOf(l) === i);
  }

  async function route(method: "GET" | "POST", link: string) {
    const { GET, POST } = await import("@/app/cancel/confirm/[token]/route");
    const token = new URL(link).pathname.split("/").pop()!;
    const request = new NextRequest(new URL(`/cancel/confirm/${token}`, "http://ledger.test"), { method });
    const response = await (method === "GET" ? GET : POST)(request, { params: Promise.resolve({ token }) });
    return { status: response.status, body: await response.text() };
  }

  const receipts = async (email: string) => (await listMailboxMessages(mailbox, { to: email })).filter((m) => /is cancelled$/.test(m.subject));

  it("a mailed link shows one button that cancels at period end in Stripe, mails a dated receipt once, and is refused when replayed", async () => {
    const email = "leaver@ledger.test";
    const reader = await subscriber(email);
    const asked = new Date();
    expect(await ask(email)).toEqual({ ok: true });
    const [link, ...others] = await linksMailedTo(email, asked);
    expect(others).toEqual([]);
    expect(link).toMatch(/^http:\/\/ledger\.test\/cancel\/confirm\/[A-Za-z0-9_-]{43}$/);

    // Opening it (as a mail scanner would) changes nothing and signs nobody in.
    const shown = await route("GET", link!);
    expect(shown.status).toBe(200);
    expect(shown.body).toContain("Cancel my subscription");
    expect(shown.body).not.toMatch(/set-cookie/i);
    expect((await row(reader.id)).cancelAtPeriodEnd).toBe(false);

    const done = await route("POST", link!);
    expect(done.status).toBe(200);
    expect(done.body).toContain('data-cancel-result="cancelled"');
    expect(done.body).toMatch(/cancelled on [A-Z][a-z]+ \d{1,2}, \d{4} at \d{2}:\d{2} UTC/);
    await app.settle();
    expect((await app.api.subscriptions.retrieve(reader.id)).cancel_at_period_end).toBe(true);
    expect(await row(reader.id)).toMatchObject({ status: "active", cancelAtPeriodEnd: true });
    const [cancellation] = await (await db()).select().from(cancellations).where(eq(cancellations.stripeSubscriptionId, reader.id));
    expect(cancellation).toMatchObject({ state: "done", via: "mailed_link", userId: reader.userId });
    // Access runs to the end of the paid period.
    const { loadEntitlement } = await import("@/lib/access/user-entitlement");
    expect(await loadEntitlement(await db(), reader.userId)).not.toBeNull();

    const receipt = await waitForMessage(mailbox, { to: email, subject: /is cancelled$/, after: asked, timeoutMs: 10_000 });
    expect(receipt.text).toMatch(/We received your cancellation on [A-Z][a-z]+ \d{1,2}, \d{4} at \d{2}:\d{2} UTC\./);
    expect(receipt.text).toMatch(/You keep full access until [A-Z][a-z]+ \d{1,2}, \d{4}\./);

    // The link is used up: the button and the page refuse it, and nothing more is mailed.
    expect(await route("POST", link!)).toMatchObject({ status: 410, body: expect.stringContaining('data-cancel-result="used"') });
    expect(await route("GET", link!)).toMatchObject({ status: 410 });
    await app.settle();
    expect(await receipts(email)).toHaveLength(1);
    expect(await (await db()).select().from(cancellations).where(eq(cancellations.stripeSubscriptionId, reader.id))).toHaveLength(1);
  });

  it("an address with no subscription gets the same answer and no mail; the request row is gone either way", async () => {
    const asked = new Date();
    const unknown = await ask("nobody-here@ledger.test");
    const known = await subscriber("stays@ledger.test");
    const answer = await ask("stays@ledger.test");
    expect(unknown).toEqual(answer);
    await linksMailedTo("stays@ledger.test", asked);
    expect(await listMailboxMessages(mailbox, { to: "nobody-here@ledger.test" })).toEqual([]);
    expect(await (await db()).select().from(cancelRequests)).toEqual([]);
    expect((await row(known.id)).cancelAtPeriodEnd).toBe(false);
  });

  it("a link expires, is bound to the address it was mailed to, and reaches only the subscription it names", async () => {
    const email = "two-subs@ledger.test";
    const first = await subscriber(email);
    const second = await subscriber(email);
    // A second subscription bought by accident does not renew (decision 0023); this one is made to, in Stripe.
    await app.api.subscriptions.update(second.id, { cancel_at_period_end: false });
    await app.settle();
    expect(await row(second.id)).toMatchObject({ cancelAtPeriodEnd: false });
    const asked = new Date();
    await ask(email, second.id);
    const links = await linksMailedTo(email, asked);
    expect(links).toHaveLength(1);

    // The day after, the link no longer works.
    const { cancelByLink, readCancelLink } = await import("@/lib/retention/cancel-links");
    const token = new URL(links[0]!).pathname.split("/").pop()!;
    expect(await readCancelLink(await db(), token)).toMatchObject({ ok: true, linked: { sub: { stripeSubscriptionId: second.id } } });
    expect(await cancelByLink(await db(), token, new Date(Date.now() + 25 * 3_600_000))).toEqual({ ok: false, reason: "expired" });

    // Both, asked again; then the address changes: every older link is void.
    const again = new Date();
    await ask(email);
    const both = await linksMailedTo(email, again);
    expect(both).toHaveLength(2);
    await (await db()).update(users).set({ email: "moved@ledger.test" }).where(eq(users.id, first.userId));
    expect(await route("POST", both[0]!)).toMatchObject({ status: 400, body: expect.stringContaining('data-cancel-result="invalid"') });
    await (await db()).update(users).set({ email }).where(eq(users.id, first.userId));
    // Used up all the same: a link that was refused is never good again.
    expect((await route("POST", both[0]!)).status).toBe(410);
    expect((await row(first.id)).cancelAtPeriodEnd).toBe(false);
    expect((await row(second.id)).cancelAtPeriodEnd).toBe(false);

    // A forged or truncated token changes nothing.
    expect((await route("POST", "http://ledger.test/cancel/confirm/not-a-token")).status).toBe(400);
    expect((await route("POST", `http://ledger.test/cancel/confirm/${"A".repeat(43)}`)).status).toBe(400);
  });

  it("bad input gets field errors and records nothing", async () => {
    const { cancelRequestSchema } = await import("@/lib/retention/cancel-requests");
    const bad = cancelRequestSchema.safeParse({ email: "not an address", subscription: "cus_123" });
    expect(bad.success).toBe(false);
    const fields = bad.error!.issues.map((i) => i.path[0]);
    expect(fields).toEqual(expect.arrayContaining(["email", "subscription"]));
    expect(cancelRequestSchema.parse({ email: " Mixed@Ledger.TEST ", subscription: "" })).toEqual({ email: "mixed@ledger.test", subscription: null });
    expect(await (await db()).select().from(cancelRequests)).toEqual([]);
  });

  it("a cancel made while Stripe does not answer is kept and receipted at once, and reaches Stripe on the next sweep", async () => {
    const email = "stripe-down@ledger.test";
    const reader = await subscriber(email);
    const asked = new Date();
    await ask(email);
    const [link] = await linksMailedTo(email, asked);
    process.env.STRIPE_API_BASE = "http://127.0.0.1:9"; // nothing listens there
    resetEnvForTests();
    try {
      const done = await route("POST", link!);
      expect(done).toMatchObject({ status: 200, body: expect.stringContaining('data-cancel-result="cancelled"') });
    } finally {
      process.env.STRIPE_API_BASE = app.emulator.url;
      resetEnvForTests();
    }
    await app.settle();
    expect(await receipts(email)).toHaveLength(1);
    const [waiting] = await (await db()).select().from(cancellations).where(eq(cancellations.stripeSubscriptionId, reader.id));
    expect(waiting).toMatchObject({ state: "pending", attempts: 1 });
    expect(waiting!.lastError).toBeTruthy();
    expect((await app.api.subscriptions.retrieve(reader.id)).cancel_at_period_end).toBe(false);
    // A webhook's copy of Stripe's subscription meanwhile keeps the reader's cancel.
    const { pullSubscriptionFromStripe } = await import("@/lib/billing/pull-subscription");
    await (await db()).transaction((tx) => pullSubscriptionFromStripe(tx, reader.id, null));
    expect(await row(reader.id)).toMatchObject({ status: "active", cancelAtPeriodEnd: true });

    // The sweep's next pass, once the retry is due.
    const { pushDueCancellations } = await import("@/lib/retention/recorded-cancellation");
    expect(await pushDueCancellations(await db(), new Date(Date.now() + 60_000))).toBe(1);
    expect((await app.api.subscriptions.retrieve(reader.id)).cancel_at_period_end).toBe(true);
    const [done] = await (await db()).select().from(cancellations).where(eq(cancellations.stripeSubscriptionId, reader.id));
    expect(done).toMatchObject({ state: "done", attempts: 2 });
    await app.settle();
    expect(await receipts(email)).toHaveLength(1);
    expect((await (await db()).select().from(billingMails).where(eq(billingMails.key, `cancel_receipt:${done!.id}`)))[0]).toMatchObject({ state: "sent" });
  });
});
