/**
 * Renewal notices against the Stripe emulator, a real SMTP sink and a real database: a yearly
 * subscription's notice is mailed RENEWAL_NOTICE_DAYS before it renews (not earlier), once however
 * often the sweep runs, with the price, the day and the cancel link; a monthly one, or one set to
 * cancel, gets none.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { subscriptions } from "@/db/schema";
import { listMailboxMessages, waitForMessage } from "@/lib/mail/mailbox";
import { billingAppForSuite, subscribeThroughCheckout } from "./support/billing-app";
import { mailSinkForSuite } from "./support/mail-sink";
import { engines } from "./support/databases";

const DAY = 86_400_000;

describe.each(engines)("renewal notices on %s", (engine) => {
  const { mailbox } = mailSinkForSuite("renewal");
  const app = billingAppForSuite(engine, { key: "sk_test_renewal", secret: "whsec_renewal_0123456789abcdef0123456789abcd" });
  const db = () => app.db();
  const row = async (id: string) => (await (await db()).select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, id)))[0]!;
  const notices = async (email: string) => (await listMailboxMessages(mailbox, { to: email })).filter((m) => /renews on/.test(m.subject));

  async function subscriber(email: string, planName: "Monthly" | "Yearly") {
    const { subscriptionId } = await subscribeThroughCheckout(app, email, planName);
    const sub = await row(subscriptionId);
    if (sub!.status === "trialing") {
      // Past the trial: the yearly term is paid and renews in a year.
      await app.api.subscriptions.update(sub!.stripeSubscriptionId, { trial_end: "now" });
      await app.settle();
    }
    return row(sub!.stripeSubscriptionId);
  }

  it("a yearly subscription is told 15 days before it renews, once, with the price, the day and the cancel link", async () => {
    const { sendRenewalNotices } = await import("@/lib/retention/renewal-notices");
    const yearly = await subscriber("yearly-notice@ledger.test", "Yearly");
    expect(yearly.status).toBe("active");
    const renews = yearly.currentPeriodEnd!.getTime() - yearly.clockOffsetSeconds * 1000;
    const monthly = await subscriber("monthly-notice@ledger.test", "Monthly");
    const ending = await subscriber("ending-notice@ledger.test", "Yearly");
    await app.api.subscriptions.update(ending.stripeSubscriptionId, { cancel_at_period_end: true });
    await app.settle();

    expect(await sendRenewalNotices(await db(), new Date(renews - 16 * DAY))).toBe(0);
    const due = new Date(renews - 15 * DAY + 60_000);
    expect(await sendRenewalNotices(await db(), due)).toBe(1);
    expect(await sendRenewalNotices(await db(), due)).toBe(0);
    expect(await sendRenewalNotices(await db(), new Date(renews - DAY))).toBe(0);
    await app.settle();
    const mail = await waitForMessage(mailbox, { to: "yearly-notice@ledger.test", subject: /renews on/, timeoutMs: 10_000 });
    expect(mail.text).toMatch(/renews on [A-Z][a-z]+ \d{1,2}, \d{4}, and \$80\.00 per year will then be charged/);
    expect(mail.text).toContain("cancel before then, online and without signing in: http://ledger.test/cancel");
    expect(await notices("yearly-notice@ledger.test")).toHaveLength(1);
    expect(await notices("monthly-notice@ledger.test")).toEqual([]);
    expect(await notices("ending-notice@ledger.test")).toEqual([]);
    expect(monthly.status).toBe("active");
  });
});
