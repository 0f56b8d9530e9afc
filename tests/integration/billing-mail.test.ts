/**
 * Mail that keeps money coming, from the webhook path through a real SMTP sink: a failed
 * renewal mails a card-update link, again at the retry 3 days later, and not a third time;
 * 7 days before a trial or a discount ends, a reminder with the price that follows; each once,
 * even when Stripe delivers the event twice.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plans, stripeEvents, users } from "@/db/schema";
import { listMailboxMessages, messageLinks } from "@/lib/mail/mailbox";
import { startSmtpSink } from "@/tools/smtp-sink";
import { startBillingApp, type BillingApp } from "./support/billing-app";
import { engines } from "./support/databases";

describe.each(engines)("billing mail on %s", (engine) => {
  let app: BillingApp;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  const mailbox = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-billing-mail-"));
  const admin = { id: "mail-admin", email: "admin@ledger.test" };

  beforeAll(async () => {
    sink = await startSmtpSink({ dir: mailbox });
    process.env.EMAIL_SERVER = sink.url;
    app = await startBillingApp(engine, { key: "sk_test_mail", secret: "whsec_mail_0123456789abcdef0123456789abcd", emulator: { upcomingInvoiceDays: 7 } });
    await (await app.db()).insert(users).values({ id: admin.id, email: admin.email, role: "admin" });
  });
  afterAll(async () => {
    await app.close();
    await sink.close();
  });

  const db = () => app.db();
  const mails = async (to: string) => (await listMailboxMessages(mailbox, { to })).reverse();
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
    const { pushOfferToStripe } = await import("@/lib/offers/sync-offer");
    const [monthly] = await (await db()).select().from(plans).where(eq(plans.name, "Monthly"));
    const made = await createOffer(await db(), admin, {
      name: "Remind me", code: "REMIND-ME", kind: "amount", percentOff: null, amountText: "6", trialDays: null, duration: "repeating", durationMonths: 2,
      planIds: [monthly!.id], newCustomersOnly: true, startsAt: null, endsAt: null, maxRedemptions: null, replaces: null,
    });
    if (!made.ok) throw new Error(made.message);
    await pushOfferToStripe(await db(), made.offerId);
    await subscribe("discount-reader@ledger.test", "Monthly", "4242424242424242", made.offerId);
    await advanceDays(75, true);
    const trial = (await mails("trial-reader@ledger.test")).filter((m) => /trial ends/.test(m.subject));
    expect(trial).toHaveLength(1);
    expect(trial[0]!.text).toContain("$80.00 / year");
    const discount = (await mails("discount-reader@ledger.test")).filter((m) => /discount ends/.test(m.subject));
    expect(discount).toHaveLength(1);
    expect(discount[0]!.text).toContain("$8.00 / month");
  });
});
