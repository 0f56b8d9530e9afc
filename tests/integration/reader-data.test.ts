/**
 * "Download my data": the reader's own records as JSON, nothing of another reader's, no token
 * hashes; and the button's POST answers only a signed-in reader from this site.
 */
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { articles, gifts, plans, subscriptions, users } from "@/db/schema";
import { billingAppForSuite } from "./support/billing-app";
import { engines } from "./support/databases";

describe.each(engines)("reader data export on %s", (engine) => {
  const app = billingAppForSuite(engine, { key: "sk_test_data", secret: "whsec_data_0123456789abcdef0123456789abcdef0" });
  const db = () => app.db();

  async function subscriber(email: string) {
    const { startCheckout } = await import("@/lib/billing/checkout");
    const [plan] = await (await db()).select().from(plans).where(eq(plans.name, "Monthly"));
    const start = await startCheckout(await db(), { user: null, planId: plan!.id, returnPath: "/" });
    if (start.kind !== "checkout") throw new Error("expected a checkout");
    expect((await app.pay(start.url, "4242424242424242", email)).status).toBe(303);
    await app.settle();
    const [user] = await (await db()).select().from(users).where(eq(users.email, email));
    const [sub] = await (await db()).select().from(subscriptions).where(eq(subscriptions.userId, user!.id));
    return { userId: user!.id, subscriptionId: sub!.stripeSubscriptionId };
  }

  it("holds the reader's own account, subscription, invoice and consent record, and nothing of another reader", async () => {
    const mine = await subscriber("mine@ledger.test");
    const theirs = await subscriber("theirs@ledger.test");
    const [article] = await (await db()).select({ id: articles.id }).from(articles).limit(1);
    await (await db()).insert(gifts).values({ tokenHash: "secret-hash-of-mine", kind: "subscriber", articleId: article!.id, gifterUserId: mine.userId });
    const { readerData } = await import("@/lib/reading/reader-data");
    const data = await readerData(await db(), mine.userId);
    expect(data!.account).toMatchObject({ id: mine.userId, email: "mine@ledger.test" });
    expect(data!.subscriptions.map((s) => s.id)).toEqual([mine.subscriptionId]);
    expect(data!.invoices).toHaveLength(1);
    expect(data!.invoices[0]).toMatchObject({ status: "paid", amountPaid: 800, currency: "usd" });
    expect(data!.consentRecords.map((c) => c.subscription)).toEqual([mine.subscriptionId]);
    expect(data!.giftsGiven).toHaveLength(1);
    const text = JSON.stringify(data);
    expect(text).not.toContain(theirs.userId);
    expect(text).not.toContain(theirs.subscriptionId);
    expect(text).not.toContain("theirs@ledger.test");
    expect(text).not.toContain("secret-hash-of-mine");
  });

  it("the button's POST sends a signed-out caller to sign in and refuses another site", async () => {
    const { POST } = await import("@/app/account/data/route");
    const signedOut = await POST(new NextRequest("http://ledger.test/account/data", { method: "POST", headers: { origin: "http://ledger.test" } }));
    expect(signedOut.status).toBeGreaterThanOrEqual(300);
    expect(signedOut.status).toBeLessThan(400);
    expect(signedOut.headers.get("content-type") ?? "").not.toContain("json");
    const crossSite = await POST(new NextRequest("http://ledger.test/account/data", { method: "POST", headers: { origin: "http://evil.test" } }));
    expect(crossSite.status).toBe(403);
  });
});
