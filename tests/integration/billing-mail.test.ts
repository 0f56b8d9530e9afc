/**
 * Mail that keeps money coming, from the webhook path through a real SMTP sink: a failed
 * renewal mails a card-update link, again at the retry 3 days later, and not a third time;
 * 7 days before a trial or a discount ends, a reminder with the price that follows; each once,
 * even when Stripe delivers the event twice. The mail goes through an outbox (billing_mails):
 * a mail server that is down delays the mail, not the event; a crash mid-send leaves the row
 * `unknown`, never sent twice; two deliverers at once send each row once.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog, billingMails, plans, stripeEvents, subscriptions, users } from "@/db/schema";
import { listMailboxMessages, messageLinks, waitForMessage } from "@/lib/mail/mailbox";
import { startSmtpSink } from "@/tools/smtp-sink";
import { cookieState, createSignedInUser } from "./support/admin-harness";
import { billingAppForSuite } from "./support/billing-app";
import { engines } from "./support/databases";

vi.mock("next/headers", async () => (await import("./support/next-request")).nextHeaders());

describe.each(engines)("billing mail on %s", (engine) => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  const mailbox = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-billing-mail-"));
  const admin = { id: "mail-admin", email: "admin@ledger.test" };

  beforeAll(async () => {
    sink = await startSmtpSink({ dir: mailbox });
    process.env.EMAIL_SERVER = sink.url;
  });
  const app = billingAppForSuite(engine, { key: "sk_test_mail", secret: "whsec_mail_0123456789abcdef0123456789abcd", emulator: { upcomingInvoiceDays: 7 }, admin });
  afterAll(async () => {
    await sink.close();
  });

  const db = () => app.db();
  const mails = async (to: string) => (await listMailboxMessages(mailbox, { to })).reverse();
  const mailRows = async (where: SQL) => (await db()).select().from(billingMails).where(where).orderBy(billingMails.key);
  const content = (to: string) => ({ to, subject: `Billing mail for ${to}`, text: `Hello ${to}`, html: `<p>Hello ${to}</p>` });
  /** Every next event is delivered twice (Stripe's at-least-once delivery). */
  const duplicateNext = () => fetch(`${app.emulator.url}/_emulator/webhooks/next`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ mode: "duplicate" }) });

  async function subscribe(email: string, planName: "Monthly" | "Yearly", card: string, offerId?: number) {
    const { startCheckout } = await import("@/lib/billing/checkout");
    const [plan] = await (await db()).select().from(plans).where(eq(plans.name, planName));
    let offer;
    if (offerId !== undefined) {
      const { offerForCheckout } = await import("@/lib/offers/public-offer");
      const found = await offerForCheckout(await db(), "REMIND-ME", plan!.id, null);
      if (!found.ok) throw new Error(found.reason);
      offer = found.offer;
    }
    const start = await startCheckout(await db(), { user: null, planId: plan!.id, returnPath: "/", offer });
    if (start.kind !== "checkout") throw new Error("expected a checkout");
    expect((await app.pay(start.url, card, email)).status).toBe(303);
    await app.settle();
  }

  async function advanceDays(days: number, duplicate = false) {
    for (let d = 0; d < days; d++) {
      if (duplicate) await duplicateNext();
      await app.emulator.advanceClock(86_400);
      await app.settle();
    }
  }

  it("a failed renewal mails a card-update link, again after 3 days, then no more; twice-delivered events mail once", async () => {
    const email = "late-payer@ledger.test";
    await subscribe(email, "Monthly", "4000000000000341");
    await advanceDays(38, true);
    const sent = (await mails(email)).filter((m) => /payment did not go through/.test(m.subject));
    // Failures at the renewal, at the retry 3 days later, and at later retries: mail for the first two only.
    expect(sent.map((m) => m.subject.startsWith("Reminder:"))).toEqual([false, true]);
    const link = messageLinks(sent[0]!).find((l) => l.includes("/account/update-card"));
    expect(link).toMatch(/\/account\/update-card\?subscription=sub_/);
    // The same events again: a redelivery is a duplicate, and even a forgotten event row (a
    // replay) finds the mail already claimed.
    const { processStripeEvent } = await import("@/lib/billing/process-event");
    const failures = (await app.api.events.list({ type: "invoice.payment_failed", limit: 100 })).data;
    for (const event of failures) expect(await processStripeEvent(await db(), event)).toBe("duplicate");
    await (await db()).delete(stripeEvents).where(inArray(stripeEvents.id, failures.map((e) => e.id)));
    for (const event of failures) await processStripeEvent(await db(), event);
    expect((await mails(email)).filter((m) => /payment did not go through/.test(m.subject))).toHaveLength(2);
  });

  it("7 days before a trial ends, and before a discount ends, a reminder with the price that follows, once", async () => {
    await subscribe("trial-reader@ledger.test", "Yearly", "4242424242424242");
    const { createOffer } = await import("@/lib/admin/offers/commands");
    const { tryPushOfferToStripe } = await import("@/lib/offers/push-offer");
    const [monthly] = await (await db()).select().from(plans).where(eq(plans.name, "Monthly"));
    const made = await createOffer(await db(), admin, {
      name: "Remind me", code: "REMIND-ME", kind: "amount", percentOff: null, amountText: "6", trialDays: null, duration: "repeating", durationMonths: 2,
      planIds: [monthly!.id], newCustomersOnly: true, startsAt: null, endsAt: null, maxRedemptions: null, replaces: null,
    });
    if (!made.ok) throw new Error(made.message);
    await tryPushOfferToStripe(await db(), made.offerId);
    await subscribe("discount-reader@ledger.test", "Monthly", "4242424242424242", made.offerId);
    await advanceDays(75, true);
    const trial = (await mails("trial-reader@ledger.test")).filter((m) => /trial ends/.test(m.subject));
    expect(trial).toHaveLength(1);
    expect(trial[0]!.text).toContain("$80.00 / year");
    const discount = (await mails("discount-reader@ledger.test")).filter((m) => /discount ends/.test(m.subject));
    expect(discount).toHaveLength(1);
    expect(discount[0]!.text).toContain("$8.00 / month");
  });

  it("with the mail server down the webhook answers 200 and updates the subscription; the mail waits, and the sweep sends it once", async () => {
    const email = "smtp-down@ledger.test";
    await subscribe(email, "Monthly", "4000000000000341");
    const [user] = await (await db()).select().from(users).where(eq(users.email, email));
    await sink.close();
    const from = app.statuses.length;
    let rows: Awaited<ReturnType<typeof mailRows>> = [];
    for (let d = 0; d < 40 && rows.length === 0; d++) {
      await advanceDays(1);
      rows = await mailRows(eq(billingMails.userId, user!.id));
    }
    // The renewal failed while the server was down: every delivery processed, the mail recorded and waiting.
    expect(app.statuses.length).toBeGreaterThan(from);
    expect(app.statuses.slice(from).filter((status) => status !== 200)).toEqual([]);
    const [sub] = await (await db()).select().from(subscriptions).where(eq(subscriptions.userId, user!.id));
    expect(sub!.status).toBe("past_due");
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ state: "pending", attempts: 1, sentAt: null });
    expect(row!.key).toMatch(/^payment_failed:in_\w+:1$/);
    expect(row!.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(row!.claimedAt!.getTime());
    expect(await mails(email)).toEqual([]);

    // The server is back; time passes to the retry, and the sweep (not a webhook) sends it, once.
    sink = await startSmtpSink({ dir: mailbox, port: sink.port });
    await (await db()).update(billingMails).set({ nextAttemptAt: sql`now()` }).where(eq(billingMails.key, row!.key));
    const { billingMailSweep } = await import("@/lib/billing/billing-mail-sweep");
    const { startPeriodicSweep } = await import("@/lib/jobs/periodic-sweep");
    const stop = startPeriodicSweep(billingMailSweep, 50);
    try {
      const mail = await waitForMessage(mailbox, { to: email, subject: /payment did not go through/, timeoutMs: 10_000 });
      expect(messageLinks(mail).some((l) => l.includes("/account/update-card?subscription=sub_"))).toBe(true);
      // Marked sent before any later pass could claim it again; the pass below is one more.
      await vi.waitFor(async () => expect((await mailRows(eq(billingMails.key, row!.key)))[0]?.state).toBe("sent"));
    } finally {
      await stop();
    }
    const { deliverBillingMails } = await import("@/lib/billing/billing-mail-delivery");
    await deliverBillingMails(await db());
    expect(await mails(email)).toHaveLength(1);
    expect((await mailRows(eq(billingMails.key, row!.key)))[0]).toMatchObject({ state: "sent", attempts: 2, lastError: null });
  });

  it("a mail left `sending` by a crash becomes unknown, is never resent by itself, and an admin can send it again", async () => {
    const crashed = "payment_failed:in_crashed:1";
    const inFlight = "payment_failed:in_in_flight:1";
    await (await db()).insert(billingMails).values([
      // Claimed 10 minutes ago and never marked: the deliverer died between the claim and the 250.
      { key: crashed, state: "sending", attempts: 1, claimedAt: sql`now() - interval '10 minutes'`, content: content("crashed@ledger.test") },
      // Claimed a moment ago: another deliverer is sending it right now.
      { key: inFlight, state: "sending", attempts: 1, claimedAt: sql`now()`, content: content("in-flight@ledger.test") },
    ]);
    const { deliverBillingMails } = await import("@/lib/billing/billing-mail-delivery");
    const { INTERRUPTED } = await import("@/lib/mail/outbox-state");
    await deliverBillingMails(await db());
    await deliverBillingMails(await db());
    expect((await mailRows(eq(billingMails.key, crashed)))[0]).toMatchObject({ state: "unknown", attempts: 1, lastError: INTERRUPTED, sentAt: null });
    expect((await mailRows(eq(billingMails.key, inFlight)))[0]).toMatchObject({ state: "sending", attempts: 1 });
    expect(await mails("crashed@ledger.test")).toEqual([]);
    expect(await mails("in-flight@ledger.test")).toEqual([]);

    // The admin sees it with its reason on the webhooks page, and may choose to send it again (once).
    const { listUndeliveredBillingMails } = await import("@/lib/admin/webhooks/queries");
    expect(await listUndeliveredBillingMails(await db())).toContainEqual(
      expect.objectContaining({ key: crashed, to: "crashed@ledger.test", state: "unknown", lastError: INTERRUPTED }),
    );
    const { default: WebhooksPage } = await import("@/app/admin/webhooks/page");
    cookieState.sessionToken = (await createSignedInUser(await db(), `boss-${engine}@ledger.test`, "admin")).token;
    try {
      const page = renderToStaticMarkup(await WebhooksPage({ searchParams: Promise.resolve({}) }));
      const section = page.slice(page.indexOf("Billing mail not delivered"));
      expect(section).toContain(`data-billing-mail="${crashed}"`);
      expect(section).toContain("crashed@ledger.test");
      expect(section).toContain("Interrupted while sending (crash or restart)");
      expect(section).toContain("Send again");
      expect(section).not.toContain(inFlight);
    } finally {
      cookieState.sessionToken = null;
    }
    const { resendBillingMail } = await import("@/lib/admin/webhooks/commands");
    expect(await resendBillingMail(await db(), admin, crashed)).toEqual({ ok: true, sent: true });
    expect(await resendBillingMail(await db(), admin, crashed)).toMatchObject({ ok: false });
    expect(await resendBillingMail(await db(), admin, inFlight)).toMatchObject({ ok: false });
    expect(await mails("crashed@ledger.test")).toHaveLength(1);
    expect(await mails("in-flight@ledger.test")).toEqual([]);
    const audits = await (await db()).select().from(auditLog).where(and(eq(auditLog.action, "billing_mail.resend"), eq(auditLog.targetId, crashed)));
    expect(audits).toHaveLength(1);
    await (await db()).delete(billingMails).where(eq(billingMails.key, inFlight));
  });

  it("deliverers running at once send each pending mail once", async () => {
    const keys = Array.from({ length: 24 }, (_, i) => `trial_ending:sub_race${i}:1800000000`);
    await (await db()).insert(billingMails).values(keys.map((key, i) => ({ key, content: content(`race-${i}@ledger.test`) })));
    const { deliverBillingMails } = await import("@/lib/billing/billing-mail-delivery");
    const passes = await Promise.all(Array.from({ length: 4 }, async () => deliverBillingMails(await db())));
    expect(passes.reduce((n, p) => n + p.sent, 0)).toBe(keys.length);
    for (let i = 0; i < keys.length; i++) expect(await mails(`race-${i}@ledger.test`)).toHaveLength(1);
    const rows = await mailRows(inArray(billingMails.key, keys));
    expect(rows.map((r) => [r.state, r.attempts])).toEqual(keys.map(() => ["sent", 1]));
  });
});
