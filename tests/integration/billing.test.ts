import { count, eq, sql } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invoices, plans, stripeCustomers, stripeEvents, subscriptions, users } from "@/db/schema";
import { startBillingApp, type BillingApp } from "./support/billing-app";
import { engines } from "./support/databases";

const SECRET = "whsec_integration_0123456789abcdef0123456789";
const KEY = "sk_test_integration";

// Billing against the Stripe emulator and a real database, through the app's webhook route handler.
describe.each(engines)("billing on %s", (engine) => {
  let app: BillingApp;
  let api: Stripe;
  let failNext = 0;

  beforeAll(async () => {
    app = await startBillingApp(engine, {
      key: KEY,
      secret: SECRET,
      intercept: () => (failNext > 0 ? (failNext--, 503) : null),
    });
    api = app.api;
  });
  afterAll(() => app.close());

  const db = () => app.db();
  const settle = () => app.settle();
  const pay = (url: string, card: string, email: string) => app.pay(url, card, email);
  const monthly = async () => (await (await db()).select().from(plans).where(eq(plans.name, "Monthly")))[0]!;

  async function anonymousSubscription(email: string, card = "4242424242424242") {
    const { startCheckout } = await import("@/lib/billing/checkout");
    const start = await startCheckout(await db(), { user: null, planId: (await monthly()).id, returnPath: "/articles/x" });
    if (start.kind !== "checkout") throw new Error("expected a checkout");
    const paid = await pay(start.url, card, email);
    expect(paid.status).toBe(303);
    await settle();
    const [user] = await (await db()).select().from(users).where(eq(users.email, email));
    return { user: user!, sessionId: new URL(paid.headers.get("location")!).searchParams.get("session_id")!, nonce: start.nonce };
  }

  it("syncs plans to Stripe idempotently: a product and a price each, found again on a second run", async () => {
    const { pushAllPlansToStripe } = await import("@/lib/billing/push-plans");
    const first = await pushAllPlansToStripe(await db());
    const second = await pushAllPlansToStripe(await db());
    expect(second).toEqual(first);
    expect((await api.prices.list({ limit: 100 })).data.filter((p) => p.active)).toHaveLength(2);
    expect((await api.products.list({ limit: 100 })).data).toHaveLength(1);
  });

  it("a price change archives the old price; going back reuses it; archiving and unarchiving keep Stripe in step", async () => {
    const { pushPlanToStripe } = await import("@/lib/billing/push-plans");
    const plan = await monthly();
    const original = plan.stripePriceId!;
    const reload = async () => (await (await db()).select().from(plans).where(eq(plans.id, plan.id)))[0]!;
    await (await db()).update(plans).set({ amount: 950 }).where(eq(plans.id, plan.id));
    const raised = await pushPlanToStripe(await db(), await reload());
    expect(raised.priceId).not.toBe(original);
    expect((await api.prices.retrieve(original)).active).toBe(false);
    await (await db()).update(plans).set({ amount: 800 }).where(eq(plans.id, plan.id));
    expect((await pushPlanToStripe(await db(), await reload())).priceId).toBe(original);
    expect((await api.prices.retrieve(original)).active).toBe(true);
    expect((await api.prices.retrieve(raised.priceId)).active).toBe(false);
    await (await db()).update(plans).set({ active: false }).where(eq(plans.id, plan.id));
    await pushPlanToStripe(await db(), await reload());
    expect((await api.prices.retrieve(original)).active).toBe(false);
    await (await db()).update(plans).set({ active: true }).where(eq(plans.id, plan.id));
    expect((await pushPlanToStripe(await db(), await reload())).priceId).toBe(original);
    expect((await api.prices.retrieve(original)).active).toBe(true);
  });

  it("a checkout's signed webhooks create the account for its email, link the customer and entitle the reader", async () => {
    const { user } = await anonymousSubscription("buyer@ledger.test");
    expect(user).toBeTruthy();
    const [sub] = await (await db()).select().from(subscriptions).where(eq(subscriptions.userId, user.id));
    expect(sub).toMatchObject({ status: "active", planId: (await monthly()).id, cancelAtPeriodEnd: false });
    expect(sub!.currentPeriodEnd!.getTime()).toBeGreaterThan(Date.now() + 25 * 86_400_000);
    const { loadEntitlement } = await import("@/lib/access/user-entitlement");
    expect(await loadEntitlement(await db(), user.id)).toEqual({ source: "subscription", until: null });
    const types = (await (await db()).select({ type: stripeEvents.type, state: stripeEvents.state }).from(stripeEvents)).map((e) => `${e.type}:${e.state}`);
    expect(types).toEqual(expect.arrayContaining(["checkout.session.completed:processed", "customer.subscription.created:processed", "invoice.paid:processed", "customer.created:ignored"]));
    expect(app.statuses.every((s) => s === 200)).toBe(true);
    expect((await (await db()).select().from(invoices).where(eq(invoices.stripeSubscriptionId, sub!.stripeSubscriptionId)))[0]).toMatchObject({ status: "paid", amountPaid: 800 });
  });

  // Re-sends a stored event with a fresh, valid signature, as Stripe's retries do.
  async function deliver(event: Stripe.Event | string, options: { secret?: string; timestamp?: number; tamper?: boolean } = {}) {
    const { POST } = await import("@/app/api/stripe/webhook/route");
    const payload = typeof event === "string" ? event : JSON.stringify(event);
    const header = api.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? SECRET, timestamp: options.timestamp });
    const body = options.tamper ? payload.replace('"livemode":false', '"livemode":true') : payload;
    const response = await POST(new Request("http://app.test/api/stripe/webhook", { method: "POST", headers: { "stripe-signature": header }, body }));
    return { status: response.status, body: (await response.json()) as { outcome?: string } };
  }
  const eventCount = async () => (await (await db()).select({ n: count() }).from(stripeEvents))[0]!.n;

  it("the same event twice, or ten times at once, has one effect", async () => {
    const [event] = (await api.events.list({ type: "invoice.paid", limit: 1 })).data;
    expect((await deliver(event!)).body.outcome).toBe("duplicate");
    const before = await eventCount();
    const results = await Promise.all(Array.from({ length: 10 }, () => deliver(event!)));
    expect(results.every((r) => r.status === 200 && r.body.outcome === "duplicate")).toBe(true);
    expect(await eventCount()).toBe(before);
    const [row] = await (await db()).select().from(stripeEvents).where(eq(stripeEvents.id, event!.id));
    expect(row).toMatchObject({ attempts: 1, state: "processed" });
  });

  it("ten concurrent first deliveries of a new event are processed once", async () => {
    const customer = await api.customers.create({ email: "concurrent@ledger.test" });
    await settle();
    const [event] = (await api.events.list({ type: "customer.created", limit: 5 })).data.filter((e) => (e.data.object as { id: string }).id === customer.id);
    await (await db()).delete(stripeEvents).where(eq(stripeEvents.id, event!.id));
    const results = await Promise.all(Array.from({ length: 10 }, () => deliver(event!)));
    expect(results.filter((r) => r.body.outcome === "ignored")).toHaveLength(1);
    expect(results.filter((r) => r.body.outcome === "duplicate")).toHaveLength(9);
  });

  it("a bad signature, a stale timestamp or a body altered after signing changes nothing", async () => {
    const [event] = (await api.events.list({ limit: 1 })).data;
    const fresh = { ...event!, id: `evt_forged_${Date.now()}` };
    const before = await eventCount();
    expect((await deliver(fresh, { secret: "whsec_wrong_secret_000000000000" })).status).toBe(400);
    expect((await deliver(fresh, { timestamp: Math.floor(Date.now() / 1000) - 3_600 })).status).toBe(400);
    expect((await deliver(fresh, { tamper: true })).status).toBe(400);
    expect((await deliver("not json at all", { secret: "whsec_wrong" })).status).toBe(400);
    expect(await eventCount()).toBe(before);
  });

  it("an unknown event type is stored and answered 200", async () => {
    const event = { id: `evt_unknown_${Date.now()}`, object: "event", type: "radar.early_fraud_warning.created", created: Math.floor(Date.now() / 1000), data: { object: { id: "issfr_1" } }, livemode: false, api_version: "2026-10-28.endive", pending_webhooks: 1, request: null } as unknown as Stripe.Event;
    const answer = await deliver(event);
    expect(answer).toEqual({ status: 200, body: { received: true, outcome: "ignored" } });
  });

  it("out of order: .updated before .created, and .deleted before .updated, end in Stripe's current state", async () => {
    const { user } = await anonymousSubscription("order@ledger.test");
    const [sub] = await (await db()).select().from(subscriptions).where(eq(subscriptions.userId, user.id));
    const id = sub!.stripeSubscriptionId;
    await api.subscriptions.update(id, { cancel_at_period_end: true });
    await settle();
    await api.subscriptions.cancel(id);
    await settle();
    const events = (await api.events.list({ limit: 100 })).data.filter((e) => (e.data.object as { id: string }).id === id);
    const byType = (type: string) => events.find((e) => e.type === type)!;
    // Forget what we processed, then replay in the wrong order.
    await (await db()).delete(stripeEvents).where(sql`${stripeEvents.id} in (${sql.join(events.map((e) => sql`${e.id}`), sql`, `)})`);
    await (await db()).update(subscriptions).set({ status: "incomplete" }).where(eq(subscriptions.stripeSubscriptionId, id));
    for (const type of ["customer.subscription.deleted", "customer.subscription.updated", "customer.subscription.created"]) {
      expect((await deliver(byType(type))).status).toBe(200);
    }
    const [after] = await (await db()).select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, id));
    expect(after).toMatchObject({ status: "canceled" });
    expect(after!.endedAt).not.toBeNull();
  });

  it("events for a customer we do not know yet are kept and applied when the customer appears", async () => {
    const customer = await api.customers.create({ email: "race@ledger.test" });
    const price = (await monthly()).stripePriceId!;
    // Marked as our Checkout's, so its owner is decided by checkout.session.completed, not by the customer's email.
    const session = await api.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price, quantity: 1 }],
      subscription_data: { metadata: { masthead_plan_id: "1" } },
      success_url: "http://ledger.test/ok",
      cancel_url: "http://ledger.test/no",
    });
    await pay(session.url!, "4242424242424242", "race@ledger.test");
    await settle();
    // Nobody started this checkout here and the customer is nobody's: the checkout links it by email.
    const [link] = await (await db()).select().from(stripeCustomers).where(eq(stripeCustomers.stripeCustomerId, customer.id));
    const [sub] = await (await db()).select().from(subscriptions).where(eq(subscriptions.stripeCustomerId, customer.id));
    expect(sub!.userId).toBe(link!.userId);

    // Now the race: the subscription's event arrives before we know the customer.
    await (await db()).delete(stripeCustomers).where(eq(stripeCustomers.stripeCustomerId, customer.id));
    await (await db()).update(subscriptions).set({ userId: null }).where(eq(subscriptions.stripeCustomerId, customer.id));
    const created = (await api.events.list({ type: "customer.subscription.created", limit: 20 })).data.find((e) => (e.data.object as Stripe.Subscription).customer === customer.id)!;
    await (await db()).delete(stripeEvents).where(eq(stripeEvents.id, created.id));
    expect((await deliver(created)).body.outcome).toBe("waiting_for_customer");
    const { linkCustomer } = await import("@/lib/billing/customers");
    await linkCustomer(await db(), customer.id, link!.userId);
    const [applied] = await (await db()).select().from(subscriptions).where(eq(subscriptions.stripeCustomerId, customer.id));
    expect(applied!.userId).toBe(link!.userId);
    const [stored] = await (await db()).select().from(stripeEvents).where(eq(stripeEvents.id, created.id));
    expect(stored!.state).toBe("processed");
  });

  it("the database failing mid-event leaves no partial state, answers 500, and the retry succeeds", async () => {
    const { user } = await anonymousSubscription("flaky@ledger.test");
    const [sub] = await (await db()).select().from(subscriptions).where(eq(subscriptions.userId, user.id));
    const invoicePaid = (await api.events.list({ type: "invoice.paid", limit: 50 })).data.find(
      (e) => (e.data.object as Stripe.Invoice).parent?.subscription_details?.subscription === sub!.stripeSubscriptionId,
    )!;
    const invoiceId = (invoicePaid.data.object as Stripe.Invoice).id!;
    await (await db()).delete(stripeEvents).where(eq(stripeEvents.id, invoicePaid.id));
    await (await db()).delete(invoices).where(eq(invoices.stripeInvoiceId, invoiceId));
    // The invoice is written first, then the subscription: make the second write fail. Our copy
    // is made stale first, so the pull has something to write (an unchanged copy is not written).
    await (await db()).update(subscriptions).set({ cancelAtPeriodEnd: true }).where(eq(subscriptions.stripeSubscriptionId, sub!.stripeSubscriptionId));
    await (await db()).execute(sql`alter table subscriptions add constraint test_refuse check (status <> 'active') not valid`);
    const failed = await deliver(invoicePaid);
    await (await db()).execute(sql`alter table subscriptions drop constraint test_refuse`);
    expect(failed.status).toBe(500);
    expect(await (await db()).select().from(invoices).where(eq(invoices.stripeInvoiceId, invoiceId))).toEqual([]);
    const [recorded] = await (await db()).select().from(stripeEvents).where(eq(stripeEvents.id, invoicePaid.id));
    expect(recorded).toMatchObject({ state: "failed" });
    expect(recorded!.error).toMatch(/test_refuse/);

    const retried = await deliver(invoicePaid);
    expect(retried).toEqual({ status: 200, body: { received: true, outcome: "processed" } });
    expect(await (await db()).select().from(invoices).where(eq(invoices.stripeInvoiceId, invoiceId))).toHaveLength(1);
    const [row] = await (await db()).select().from(stripeEvents).where(eq(stripeEvents.id, invoicePaid.id));
    expect(row).toMatchObject({ state: "processed", attempts: 2, error: null });
    const [healed] = await (await db()).select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, sub!.stripeSubscriptionId));
    expect(healed!.cancelAtPeriodEnd).toBe(false);
  });

  it("an event that finds our copy current writes nothing to it; one that finds it stale writes Stripe's", async () => {
    const { user } = await anonymousSubscription("current@ledger.test");
    const read = async () => (await (await db()).select().from(subscriptions).where(eq(subscriptions.userId, user.id)))[0]!;
    const before = await read();
    const updated = (await api.events.list({ type: "customer.subscription.created", limit: 100 })).data.find(
      (e) => (e.data.object as Stripe.Subscription).id === before.stripeSubscriptionId,
    )!;
    const again = (id: string) => deliver({ ...updated, id, type: "customer.subscription.updated" } as Stripe.Event);
    expect((await again(`evt_current_${Date.now()}`)).body.outcome).toBe("processed");
    expect(await read()).toEqual(before);
    // Our copy drifted (a lost write, a hand edit): the next event's pull puts Stripe's back.
    await (await db()).update(subscriptions).set({ cancelAtPeriodEnd: true, currentPeriodEnd: new Date(0) }).where(eq(subscriptions.stripeSubscriptionId, before.stripeSubscriptionId));
    const stale = `evt_stale_${Date.now()}`;
    expect((await again(stale)).body.outcome).toBe("processed");
    const after = await read();
    expect(after).toMatchObject({ cancelAtPeriodEnd: false, currentPeriodEnd: before.currentPeriodEnd });
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    const [stored] = await (await db()).select().from(stripeEvents).where(eq(stripeEvents.id, stale));
    expect(stored).toMatchObject({ state: "processed", stripeCustomerId: before.stripeCustomerId, attempts: 1 });
    expect(stored!.processedAt).not.toBeNull();
  });

  it("Stripe's retries after a 5xx deliver the event in the end", async () => {
    failNext = 2;
    const customer = await api.customers.create({ email: "retry@ledger.test" });
    await settle();
    const [event] = (await api.events.list({ type: "customer.created", limit: 5 })).data.filter((e) => (e.data.object as { id: string }).id === customer.id);
    const [row] = await (await db()).select().from(stripeEvents).where(eq(stripeEvents.id, event!.id));
    expect(row?.state).toBe("ignored");
  });

  it("the return page signs in only the browser holding the nonce, once", async () => {
    const { user, sessionId, nonce } = await anonymousSubscription("return@ledger.test");
    const { completeCheckoutReturn } = await import("@/lib/billing/checkout-return");
    const stranger = await completeCheckoutReturn(await db(), { sessionId, nonce: null, currentUserId: null });
    expect(stranger).toMatchObject({ kind: "done", returnPath: "/articles/x", session: null });
    const wrong = await completeCheckoutReturn(await db(), { sessionId, nonce: "x".repeat(43), currentUserId: null });
    expect(wrong).toMatchObject({ session: null });
    const owner = await completeCheckoutReturn(await db(), { sessionId, nonce, currentUserId: null });
    expect(owner.kind === "done" && owner.session?.value).toBeTruthy();
    const again = await completeCheckoutReturn(await db(), { sessionId, nonce, currentUserId: null });
    expect(again).toMatchObject({ session: null });
    const { userForSessionToken } = await import("@/lib/auth/session-user");
    expect((await userForSessionToken((owner as { session: { value: string } }).session.value))?.id).toBe(user.id);
    expect((await completeCheckoutReturn(await db(), { sessionId: "cs_test_unknown000", nonce, currentUserId: null })).kind).toBe("unknown");
  });

  it("a subscriber is sent to the portal instead of a second checkout; only active plans can be bought", async () => {
    const [buyer] = await (await db()).select().from(users).where(eq(users.email, "buyer@ledger.test"));
    const { startCheckout, PlanUnavailableError } = await import("@/lib/billing/checkout");
    const again = await startCheckout(await db(), { user: { id: buyer!.id, email: buyer!.email }, planId: (await monthly()).id, returnPath: "/" });
    expect(again.kind).toBe("portal");
    const [yearly] = await (await db()).select().from(plans).where(eq(plans.name, "Yearly"));
    await (await db()).update(plans).set({ active: false }).where(eq(plans.id, yearly!.id));
    await expect(startCheckout(await db(), { user: null, planId: yearly!.id, returnPath: "/" })).rejects.toBeInstanceOf(PlanUnavailableError);
    await expect(startCheckout(await db(), { user: null, planId: 99_999, returnPath: "/" })).rejects.toBeInstanceOf(PlanUnavailableError);
    await (await db()).update(plans).set({ active: true }).where(eq(plans.id, yearly!.id));
  });

  it("renewal, failed payment with grace, and cancellation follow the emulator's clock", async () => {
    const { user } = await anonymousSubscription("cycle@ledger.test", "4000000000000341");
    const { loadEntitlement } = await import("@/lib/access/user-entitlement");
    const entitled = async () => (await loadEntitlement(await db(), user.id)) !== null;
    expect(await entitled()).toBe(true);
    await app.emulator.advanceClock(31 * 86_400);
    await settle();
    const [pastDue] = await (await db()).select().from(subscriptions).where(eq(subscriptions.userId, user.id));
    expect(pastDue!.status).toBe("past_due");
    expect(await entitled()).toBe(true); // within the 3-day grace period
    await app.emulator.advanceClock(3 * 86_400);
    await settle();
    expect(await entitled()).toBe(false);
  });

  it("the account page shows invoice dates on our clock, as it shows the subscription's", async () => {
    const { user } = await anonymousSubscription("dates@ledger.test");
    await app.emulator.advanceClock(31 * 86_400);
    await settle();
    const { accountBilling } = await import("@/lib/billing/account-billing");
    const billing = await accountBilling(await db(), user.id);
    // The renewal was invoiced just now on Stripe's clock, which runs weeks ahead of ours.
    expect(billing.invoices).toHaveLength(2);
    expect(Math.abs(billing.invoices[0]!.date.getTime() - Date.now())).toBeLessThan(10 * 60_000);
    expect(billing.subscriptions[0]!.renewsAt!.getTime() - billing.invoices[0]!.date.getTime()).toBeGreaterThan(27 * 86_400_000);
  });
});
