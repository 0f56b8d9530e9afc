/**
 * The EU withdrawal function against the Stripe emulator, a real SMTP sink and a real database:
 * within 14 days of buying, a withdrawal ends the subscription at once (in Stripe and for
 * reading), refunds all of the payment or all but the days read (the refund object and the
 * charge's amount_refunded in Stripe), and mails a receipt once; after 14 days it is refused and
 * nothing changes; a replayed or doubled POST refunds once; the mailed one-time link withdraws
 * without signing in; a withdrawal made while Stripe does not answer holds and is carried out by
 * the sweep; with the setting off there is no withdrawal.
 */
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import type Stripe from "stripe";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { billingMails, subscriptions, withdrawals } from "@/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { listMailboxMessages, messageLinks, waitForMessage } from "@/lib/mail/mailbox";
import { billingAppForSuite, subscribeThroughCheckout } from "./support/billing-app";
import { mailSinkForSuite } from "./support/mail-sink";
import { engines } from "./support/databases";

const DAY = 86_400_000;

describe.each(engines)("EU withdrawal on %s", (engine) => {
  const { mailbox } = mailSinkForSuite("withdraw");
  const app = billingAppForSuite(engine, { key: "sk_test_withdraw", secret: "whsec_withdraw_0123456789abcdef0123456789abc" });
  afterAll(async () => {
    delete process.env.EU_WITHDRAWAL;
    resetEnvForTests();
  });
  afterEach(() => {
    delete process.env.EU_WITHDRAWAL;
    resetEnvForTests();
  });

  const setting = (value: "off" | "full_refund" | "pro_rata_refund") => {
    process.env.EU_WITHDRAWAL = value;
    resetEnvForTests();
  };
  const db = () => app.db();
  const row = async (id: string) => (await (await db()).select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, id)))[0]!;
  const withdrawalsOf = async (id: string) => (await db()).select().from(withdrawals).where(eq(withdrawals.stripeSubscriptionId, id));
  const receipts = async (email: string) => (await listMailboxMessages(mailbox, { to: email })).filter((m) => /^You have withdrawn/.test(m.subject));

  async function subscriber(email: string, planName: "Monthly" | "Yearly") {
    const { userId, subscriptionId } = await subscribeThroughCheckout(app, email, planName);
    return { userId, id: subscriptionId };
  }


  /** The charge that paid the subscription's first invoice, and its refunds, as Stripe has them. */
  async function stripeMoney(subscriptionId: string): Promise<{ charge: Stripe.Charge; refunds: Stripe.Refund[] }> {
    const sub = await app.api.subscriptions.retrieve(subscriptionId);
    const invoiceId = typeof sub.latest_invoice === "string" ? sub.latest_invoice : sub.latest_invoice!.id;
    const [payment] = (await app.api.invoicePayments.list({ invoice: invoiceId })).data;
    const intent = await app.api.paymentIntents.retrieve(payment!.payment.payment_intent as string);
    const charge = await app.api.charges.retrieve(intent.latest_charge as string);
    const refunds = (await app.api.refunds.list({ payment_intent: intent.id })).data;
    return { charge, refunds };
  }

  const entitlement = async (userId: string) => (await import("@/lib/access/user-entitlement")).loadEntitlement(await db(), userId);

  it("within 14 days, full refund: the subscription ends at once in Stripe and here, every cent comes back, one receipt", async () => {
    setting("full_refund");
    const email = "full-refund@ledger.test";
    const reader = await subscriber(email, "Monthly");
    expect(await entitlement(reader.userId)).not.toBeNull();
    const { withdrawableSubscriptions, withdrawFromAccount } = await import("@/lib/retention/withdrawals");
    expect((await withdrawableSubscriptions(await db(), reader.userId)).map((w) => w.sub.stripeSubscriptionId)).toEqual([reader.id]);

    const asked = new Date();
    const outcome = await withdrawFromAccount(await db(), reader.userId, reader.id, new Date(Date.now() + 5 * DAY));
    expect(outcome).toMatchObject({ ok: true, recorded: { refund: 800, currency: "usd" } });
    await app.settle();

    expect((await app.api.subscriptions.retrieve(reader.id)).status).toBe("canceled");
    expect(await row(reader.id)).toMatchObject({ status: "canceled", cancelAtPeriodEnd: false });
    expect(await entitlement(reader.userId)).toBeNull();
    const [withdrawal] = await withdrawalsOf(reader.id);
    expect(withdrawal).toMatchObject({ state: "done", via: "account", amountPaid: 800, refundAmount: 800, refundRule: "full_refund", daysRead: null });
    const { charge, refunds } = await stripeMoney(reader.id);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ id: withdrawal!.stripeRefundId, object: "refund", amount: 800, currency: "usd", status: "succeeded", reason: "requested_by_customer", charge: charge.id });
    expect(charge).toMatchObject({ amount: 800, amount_refunded: 800, refunded: true });

    const receipt = await waitForMessage(mailbox, { to: email, subject: /^You have withdrawn/, after: asked, timeoutMs: 10_000 });
    expect(receipt.text).toContain("We refund $8.00 to the card you paid with.");
    expect(receipt.text).toMatch(/We received your withdrawal on [A-Z][a-z]+ \d{1,2}, \d{4} at \d{2}:\d{2} UTC/);
    expect(await withdrawableSubscriptions(await db(), reader.userId)).toEqual([]);
    // The money audit sees the refunded days as given back, not as paid days the reader lost.
    const { runMoneyAudit } = await import("@/lib/money-audit/run-audit");
    expect((await runMoneyAudit(await db())).findings.filter((f) => f.subscription === reader.id)).toEqual([]);
  });

  it("pro rata: refunds what was paid less the days read, in whole cents", async () => {
    setting("pro_rata_refund");
    const reader = await subscriber("pro-rata@ledger.test", "Monthly");
    const { withdrawFromAccount } = await import("@/lib/retention/withdrawals");
    // Three days and a bit after buying: four days begun, so four days read.
    const outcome = await withdrawFromAccount(await db(), reader.userId, reader.id, new Date(Date.now() + 3 * DAY + 60_000));
    expect(outcome.ok).toBe(true);
    await app.settle();
    const [withdrawal] = await withdrawalsOf(reader.id);
    expect(withdrawal!.daysRead).toBe(4);
    expect([28, 29, 30, 31]).toContain(withdrawal!.daysPaid);
    // e.g. 31 days: 800 × 4 / 31 = 103.2…, so 103 kept and 697 refunded.
    const expected = 800 - Math.floor((800 * 4) / withdrawal!.daysPaid!);
    expect(withdrawal).toMatchObject({ state: "done", amountPaid: 800, refundAmount: expected, refundRule: "pro_rata_refund" });
    const { charge, refunds } = await stripeMoney(reader.id);
    expect(refunds.map((r) => r.amount)).toEqual([expected]);
    expect(charge).toMatchObject({ amount: 800, amount_refunded: expected, refunded: false });
    const receipt = await waitForMessage(mailbox, { to: "pro-rata@ledger.test", subject: /^You have withdrawn/, timeoutMs: 10_000 });
    expect(receipt.text).toContain(`$8.00 paid, less 4 of ${withdrawal!.daysPaid} days read`);
  });

  it("during a free trial: the subscription ends, nothing was paid so nothing is refunded", async () => {
    setting("pro_rata_refund");
    const reader = await subscriber("trialist@ledger.test", "Yearly");
    expect(await row(reader.id)).toMatchObject({ status: "trialing" });
    const { withdrawFromAccount } = await import("@/lib/retention/withdrawals");
    expect(await withdrawFromAccount(await db(), reader.userId, reader.id)).toMatchObject({ ok: true, recorded: { refund: 0, currency: null } });
    await app.settle();
    expect(await withdrawalsOf(reader.id)).toMatchObject([{ state: "done", amountPaid: 0, refundAmount: 0, stripeInvoiceId: null, daysRead: null, stripeRefundId: null }]);
    expect((await app.api.subscriptions.retrieve(reader.id)).status).toBe("canceled");
    const receipt = await waitForMessage(mailbox, { to: "trialist@ledger.test", subject: /^You have withdrawn/, timeoutMs: 10_000 });
    expect(receipt.text).toContain("Nothing was charged, so there is nothing to refund.");
  });

  it("after 14 days it is refused and nothing changes", async () => {
    setting("full_refund");
    const reader = await subscriber("too-late@ledger.test", "Monthly");
    const { withdrawFromAccount, withdrawableSubscriptions } = await import("@/lib/retention/withdrawals");
    const late = new Date(Date.now() + 14 * DAY + 60_000);
    expect(await withdrawableSubscriptions(await db(), reader.userId, late)).toEqual([]);
    expect(await withdrawFromAccount(await db(), reader.userId, reader.id, late)).toEqual({ ok: false, reason: "period_over" });
    await app.settle();
    expect(await row(reader.id)).toMatchObject({ status: "active" });
    expect((await app.api.subscriptions.retrieve(reader.id)).status).toBe("active");
    expect(await withdrawalsOf(reader.id)).toEqual([]);
    expect((await stripeMoney(reader.id)).refunds).toEqual([]);
    expect(await receipts("too-late@ledger.test")).toEqual([]);
  });

  it("a replayed or doubled POST refunds once; another reader's subscription is not theirs to withdraw", async () => {
    setting("full_refund");
    const reader = await subscriber("twice@ledger.test", "Monthly");
    const other = await subscriber("bystander@ledger.test", "Monthly");
    const { withdrawFromAccount } = await import("@/lib/retention/withdrawals");
    expect(await withdrawFromAccount(await db(), other.userId, reader.id)).toEqual({ ok: false, reason: "not_yours" });
    const [first, second] = await Promise.all([withdrawFromAccount(await db(), reader.userId, reader.id), withdrawFromAccount(await db(), reader.userId, reader.id)]);
    const replay = await withdrawFromAccount(await db(), reader.userId, reader.id);
    await app.settle();
    const recorded = [first, second].filter((o) => o.ok && o.recorded);
    expect(recorded).toHaveLength(1);
    expect(replay).toEqual({ ok: false, reason: "not_live" });
    expect(await withdrawalsOf(reader.id)).toHaveLength(1);
    const { charge, refunds } = await stripeMoney(reader.id);
    expect(refunds).toHaveLength(1);
    expect(charge.amount_refunded).toBe(800);
    expect(await receipts("twice@ledger.test")).toHaveLength(1);
    // A retry of the push after it was done asks Stripe for nothing more.
    const { refundInvoicePaymentInStripe } = await import("@/lib/billing/refunds");
    const [withdrawal] = await withdrawalsOf(reader.id);
    expect(await refundInvoicePaymentInStripe({ invoiceId: withdrawal!.stripeInvoiceId!, amount: 800, key: String(withdrawal!.id) })).toBe(withdrawal!.stripeRefundId);
    expect((await stripeMoney(reader.id)).refunds).toHaveLength(1);
    expect(await row(other.id)).toMatchObject({ status: "active" });
  });

  it("signed out: /cancel's mail carries a one-time withdraw link whose button withdraws, once", async () => {
    setting("full_refund");
    const email = "by-mail@ledger.test";
    const reader = await subscriber(email, "Monthly");
    const { requestCancelLinks, cancelRequestSchema, cancelRequestsIdle } = await import("@/lib/retention/cancel-requests");
    const asked = new Date();
    await requestCancelLinks(await db(), cancelRequestSchema.parse({ email }), "203.0.113.7");
    await cancelRequestsIdle();
    await app.settle();
    const message = await waitForMessage(mailbox, { to: email, subject: /^Cancel your /, after: asked, timeoutMs: 10_000 });
    expect(message.text).toContain("Or withdraw from contract here");
    const link = messageLinks(message).find((l) => l.includes("/cancel/withdraw/"))!;
    expect(link).toMatch(/^http:\/\/ledger\.test\/cancel\/withdraw\/[A-Za-z0-9_-]{43}$/);
    const token = new URL(link).pathname.split("/").pop()!;
    const { GET, POST } = await import("@/app/cancel/withdraw/[token]/route");
    const call = async (method: "GET" | "POST", t = token) => {
      const response = await (method === "GET" ? GET : POST)(new NextRequest(new URL(`/cancel/withdraw/${t}`, "http://ledger.test"), { method }), { params: Promise.resolve({ token: t }) });
      return { status: response.status, body: await response.text(), cookie: response.headers.get("set-cookie") };
    };
    // Opening it changes nothing and signs nobody in.
    const shown = await call("GET");
    expect(shown).toMatchObject({ status: 200, cookie: null });
    expect(shown.body).toContain("Withdraw from contract</button>");
    expect(await row(reader.id)).toMatchObject({ status: "active" });
    // The cancel link of the same mail does not withdraw, nor the withdraw link cancel.
    const cancelToken = new URL(messageLinks(message).find((l) => l.includes("/cancel/confirm/"))!).pathname.split("/").pop()!;
    expect((await call("POST", cancelToken)).status).toBe(400);

    const done = await call("POST");
    expect(done.status).toBe(200);
    expect(done.body).toContain('data-withdraw-result="withdrawn"');
    expect(done.body).toContain("We refund $8.00");
    await app.settle();
    expect(await withdrawalsOf(reader.id)).toMatchObject([{ state: "done", via: "mailed_link", refundAmount: 800 }]);
    expect((await call("POST")).status).toBe(410);
    expect((await stripeMoney(reader.id)).refunds).toHaveLength(1);
    expect(await receipts(email)).toHaveLength(1);
  });

  it("made while Stripe does not answer, it holds (reading ends, receipt sent) and the sweep carries it out once", async () => {
    setting("full_refund");
    const email = "stripe-down-withdraw@ledger.test";
    const reader = await subscriber(email, "Monthly");
    const { withdrawFromAccount, pushDueWithdrawals } = await import("@/lib/retention/withdrawals");
    process.env.STRIPE_API_BASE = "http://127.0.0.1:9";
    resetEnvForTests();
    try {
      expect(await withdrawFromAccount(await db(), reader.userId, reader.id)).toMatchObject({ ok: true });
    } finally {
      process.env.STRIPE_API_BASE = app.emulator.url;
      resetEnvForTests();
    }
    await app.settle();
    expect(await receipts(email)).toHaveLength(1);
    expect(await entitlement(reader.userId)).toBeNull();
    const [waiting] = await withdrawalsOf(reader.id);
    expect(waiting).toMatchObject({ state: "pending", attempts: 1 });
    expect((await app.api.subscriptions.retrieve(reader.id)).status).toBe("active");
    // A webhook's copy of Stripe's subscription meanwhile keeps it ended here.
    const { pullSubscriptionFromStripe } = await import("@/lib/billing/pull-subscription");
    await (await db()).transaction((tx) => pullSubscriptionFromStripe(tx, reader.id, null));
    expect(await row(reader.id)).toMatchObject({ status: "canceled" });
    expect(await entitlement(reader.userId)).toBeNull();

    expect(await pushDueWithdrawals(await db(), new Date(Date.now() + 60_000))).toBe(1);
    expect(await pushDueWithdrawals(await db(), new Date(Date.now() + 3_600_000))).toBe(0);
    await app.settle();
    expect((await app.api.subscriptions.retrieve(reader.id)).status).toBe("canceled");
    expect((await stripeMoney(reader.id)).refunds.map((r) => r.amount)).toEqual([800]);
    expect((await withdrawalsOf(reader.id))[0]).toMatchObject({ state: "done", attempts: 2 });
    expect(await receipts(email)).toHaveLength(1);
    expect((await (await db()).select().from(billingMails).where(eq(billingMails.key, `withdrawal_receipt:${waiting!.id}`)))[0]).toMatchObject({ state: "sent" });
  });

  it("with the setting off there is no withdrawal, and the mail has no withdraw link", async () => {
    setting("off");
    const reader = await subscriber("no-withdrawal@ledger.test", "Monthly");
    const { withdrawFromAccount, withdrawableSubscriptions } = await import("@/lib/retention/withdrawals");
    expect(await withdrawableSubscriptions(await db(), reader.userId)).toEqual([]);
    expect(await withdrawFromAccount(await db(), reader.userId, reader.id)).toEqual({ ok: false, reason: "off" });
    expect(await row(reader.id)).toMatchObject({ status: "active" });
    expect(await withdrawalsOf(reader.id)).toEqual([]);
  });
});
