/**
 * Consent at checkout, against the Stripe emulator and a real database: the terms (price, period,
 * renewal, trial and what follows, how to cancel) are shown on the Checkout page above Pay, and
 * once paid they are kept with the subscription, with their version, SHA-256, when they were shown
 * and when they were agreed to; the admin's subscriber page reads them. A checkout left unpaid
 * records nothing.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { consentRecords, plans, subscriptions, users } from "@/db/schema";
import { CONSENT_TERMS_VERSION, termsHash } from "@/lib/billing/consent-terms";
import { billingAppForSuite } from "./support/billing-app";
import { engines } from "./support/databases";

describe.each(engines)("consent records on %s", (engine) => {
  const app = billingAppForSuite(engine, { key: "sk_test_consent", secret: "whsec_consent_0123456789abcdef0123456789abcd" });
  const db = () => app.db();

  async function checkout(planName: string) {
    const { startCheckout } = await import("@/lib/billing/checkout");
    const [plan] = await (await db()).select().from(plans).where(eq(plans.name, planName));
    const start = await startCheckout(await db(), { user: null, planId: plan!.id, returnPath: "/" });
    if (start.kind !== "checkout") throw new Error("expected a checkout");
    return start.url;
  }

  it("the terms shown above Pay are kept with the subscription once it is paid, and shown to the admin", async () => {
    const before = new Date();
    const url = await checkout("Yearly");
    const page = await (await fetch(url)).text();
    const shown = /<p class="terms" data-terms>([^<]+)<\/p>/.exec(page)?.[1];
    expect(shown).toBe("Yearly: $80.00 per year, charged when the free trial ends and then every year until you cancel. Free trial: 7 days. Unless you cancel before it ends, you are then charged $80.00 per year. It renews automatically. Cancel any time online, without signing in: http://ledger.test/cancel");
    const sessionId = new URL(url).pathname.split("/").pop()!;
    expect((await app.api.checkout.sessions.retrieve(sessionId)).custom_text.submit?.message).toBe(shown);
    // Nothing is recorded for a checkout not paid yet.
    expect(await (await db()).select().from(consentRecords)).toEqual([]);

    expect((await app.pay(url, "4242424242424242", "agrees@ledger.test")).status).toBe(303);
    await app.settle();
    const [user] = await (await db()).select().from(users).where(eq(users.email, "agrees@ledger.test"));
    const [sub] = await (await db()).select().from(subscriptions).where(eq(subscriptions.userId, user!.id));
    const records = await (await db()).select().from(consentRecords);
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record).toMatchObject({ stripeSubscriptionId: sub!.stripeSubscriptionId, userId: user!.id, stripeCheckoutSessionId: sessionId, termsText: shown, termsVersion: CONSENT_TERMS_VERSION, termsHash: termsHash(shown!) });
    expect(record!.shownAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(record!.acceptedAt.getTime()).toBeGreaterThanOrEqual(record!.shownAt.getTime());

    // Settling again (the return page after the webhook) adds nothing.
    const { fetchCheckoutSession, settleCheckoutSession } = await import("@/lib/billing/settle-checkout");
    const copy = await fetchCheckoutSession(sessionId);
    await (await db()).transaction((tx) => settleCheckoutSession(tx, copy, Math.floor(Date.now() / 1000)));
    expect(await (await db()).select().from(consentRecords)).toHaveLength(1);

    const { readerDetail } = await import("@/lib/admin/subscribers/reader-detail");
    const detail = await readerDetail(await db(), user!.id, 3);
    expect(detail!.consents).toEqual([{ subscription: sub!.stripeSubscriptionId, terms: shown, version: CONSENT_TERMS_VERSION, hash: termsHash(shown!), shownAt: record!.shownAt, acceptedAt: record!.acceptedAt }]);
  });

  it("a monthly plan without a trial: charged today, no trial words", async () => {
    const url = await checkout("Monthly");
    expect((await app.pay(url, "4242424242424242", "monthly-agrees@ledger.test")).status).toBe(303);
    await app.settle();
    const [user] = await (await db()).select().from(users).where(eq(users.email, "monthly-agrees@ledger.test"));
    const [record] = await (await db()).select().from(consentRecords).where(eq(consentRecords.userId, user!.id));
    expect(record!.termsText).toMatch(/^Monthly: \$8\.00 per month, charged today and then every month until you cancel\. It renews automatically\./);
    expect(record!.termsText).not.toContain("trial");
  });
});
