import { and, desc, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog, planPrices, plans, stripeEvents, subscriptions, users } from "@/db/schema";
import { cookieState, createSignedInUser, NOT_FOUND_DIGEST, signOutAndClose } from "./support/admin-harness";
import { resetEnvForTests } from "@/lib/env";
import { startBillingApp, type BillingApp } from "./support/billing-app";
import { engines } from "./support/databases";
import { form } from "./support/action-forms";

vi.mock("next/headers", async () => (await import("./support/next-request")).nextHeaders());
vi.mock("next/cache", async (original) => (await import("./support/next-request")).nextCache(await original()));

const SECRET = "whsec_admin_billing_0123456789abcdef0123456789";
const KEY = "sk_test_admin_billing";

// The billing side of the admin console, through its server actions and route handler, against
// the Stripe emulator (signed webhooks delivered to the app's handler) and a real database.
describe.each(engines)("admin billing on %s", (engine) => {
  let app: BillingApp;
  let api: Stripe;
  let adminToken: string;
  let readerToken: string;

  beforeAll(async () => {
    app = await startBillingApp(engine, { key: KEY, secret: SECRET });
    api = app.api;
    adminToken = (await createSignedInUser(await app.db(), "boss@ledger.test", "admin")).token;
    readerToken = (await createSignedInUser(await app.db(), "someone@ledger.test", "reader")).token;
  });
  afterAll(() => signOutAndClose(app));

  const db = () => app.db();
  const settle = () => app.settle();
  const planNamed = async (name: string) => (await (await db()).select().from(plans).where(eq(plans.name, name)))[0]!;
  const asAdmin = () => (cookieState.sessionToken = adminToken);
  const lastAudit = async () => (await (await db()).select().from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0];

  async function subscribe(email: string, planId: number) {
    const { startCheckout } = await import("@/lib/billing/checkout");
    const start = await startCheckout(await db(), { user: null, planId, returnPath: "/" });
    if (start.kind !== "checkout") throw new Error("expected a checkout");
    const paid = await app.pay(start.url, "4242424242424242", email);
    expect(paid.status).toBe(303);
    await settle();
    const [user] = await (await db()).select().from(users).where(eq(users.email, email));
    const [sub] = await (await db()).select().from(subscriptions).where(eq(subscriptions.userId, user!.id));
    return { user: user!, sub: sub! };
  }

  it("a price change creates a new Stripe price, archives the old one, and keeps existing subscribers on the old price", async () => {
    const before = await planNamed("Monthly");
    const oldPrice = before.stripePriceId!;
    const { sub } = await subscribe("early-bird@ledger.test", before.id);
    expect(sub.stripePriceId).toBe(oldPrice);

    asAdmin();
    const { updatePlanAction } = await import("@/app/admin/plans/actions");
    const result = await updatePlanAction(undefined, form({ id: before.id, name: "Monthly", description: before.description ?? "", features: before.features.join("\n"), trialDays: before.trialDays, amount: "9.50", interval: "month" }));
    expect(result).toMatchObject({ ok: true, message: expect.stringMatching(/existing subscribers stay on their old price/) });

    const after = await planNamed("Monthly");
    expect(after.amount).toBe(950);
    expect(after.stripePriceId).toBeTruthy();
    expect(after.stripePriceId).not.toBe(oldPrice);
    const [oldInStripe, newInStripe] = await Promise.all([api.prices.retrieve(oldPrice), api.prices.retrieve(after.stripePriceId!)]);
    expect(oldInStripe).toMatchObject({ active: false, unit_amount: 800 });
    expect(newInStripe).toMatchObject({ active: true, unit_amount: 950, currency: "usd", recurring: expect.objectContaining({ interval: "month" }) });
    const ours = await (await db()).select().from(planPrices).where(eq(planPrices.planId, before.id));
    expect(ours.find((p) => p.stripePriceId === oldPrice)).toMatchObject({ active: false, amount: 800 });
    expect(ours.find((p) => p.stripePriceId === after.stripePriceId)).toMatchObject({ active: true, amount: 950 });

    // The subscriber is still on the old price, in Stripe and in our copy.
    const inStripe = await api.subscriptions.retrieve(sub.stripeSubscriptionId);
    expect(inStripe.items.data[0]!.price.id).toBe(oldPrice);
    const [copy] = await (await db()).select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, sub.stripeSubscriptionId));
    expect(copy).toMatchObject({ stripePriceId: oldPrice, status: "active" });

    // The page's counts per price, and the paywall's offer on the next request.
    const { listPlansForAdmin } = await import("@/lib/admin/plans/queries");
    const listed = (await listPlansForAdmin(await db())).find((p) => p.id === before.id)!;
    expect(listed.needsPush).toBe(false);
    expect(listed.prices.find((p) => p.stripePriceId === oldPrice)).toMatchObject({ current: false, active: false, subscribers: 1 });
    expect(listed.prices.find((p) => p.stripePriceId === after.stripePriceId)).toMatchObject({ current: true, active: true, subscribers: 0 });
    const { listActivePlans } = await import("@/lib/billing/plans");
    expect((await listActivePlans()).find((p) => p.id === before.id)?.amount).toBe(950);
    expect(await lastAudit()).toMatchObject({ action: "plan.price_change", targetId: String(before.id), actorEmail: "boss@ledger.test" });

    // A new subscriber pays the new price.
    const { sub: later } = await subscribe("late-comer@ledger.test", before.id);
    expect(later.stripePriceId).toBe(after.stripePriceId);

    // Going back to $8.00 makes the old price current again (Stripe keeps idempotency keys for a day).
    const back = await updatePlanAction(undefined, form({ id: before.id, name: "Monthly", trialDays: 0, amount: "8", interval: "month" }));
    expect(back).toMatchObject({ ok: true });
    const restored = await planNamed("Monthly");
    expect(restored).toMatchObject({ amount: 800, stripePriceId: oldPrice });
    expect((await api.prices.retrieve(oldPrice)).active).toBe(true);
    expect((await api.prices.retrieve(after.stripePriceId!)).active).toBe(false);
    const relisted = (await listPlansForAdmin(await db())).find((p) => p.id === before.id)!;
    expect(relisted.prices.map((p) => [p.amount, p.current, p.subscribers]).sort()).toEqual([[800, true, 1], [950, false, 1]].sort());
  });

  it("bad input changes nothing and says why, next to the field", async () => {
    asAdmin();
    const { updatePlanAction, createPlanAction } = await import("@/app/admin/plans/actions");
    const monthly = await planNamed("Monthly");
    const countBefore = (await (await db()).select().from(auditLog)).length;
    expect(await updatePlanAction(undefined, form({ id: monthly.id, name: "Monthly", amount: "9.999", interval: "month" }))).toMatchObject({ ok: false, fieldErrors: { amount: expect.any(String) } });
    expect(await updatePlanAction(undefined, form({ id: monthly.id, name: "", amount: "9", interval: "week" }))).toMatchObject({ ok: false, fieldErrors: { name: expect.any(String), interval: expect.any(String) } });
    expect(await createPlanAction(undefined, form({ name: "Yen", amount: "9.5", interval: "month", currency: "jpy" }))).toMatchObject({ ok: false, fieldErrors: { amount: expect.stringMatching(/no decimals/) } });
    expect(await updatePlanAction(undefined, form({ id: monthly.id, name: "Monthly", amount: "8", interval: "month", trialPerPlan: "maybe" }))).toMatchObject({ ok: false, fieldErrors: { trialPerPlan: expect.any(String) } });
    expect(await planNamed("Monthly")).toEqual(monthly);
    expect((await (await db()).select().from(auditLog)).length).toBe(countBefore);
  });

  it("creates, reorders, archives and unarchives a plan, each change audited and pushed to Stripe", async () => {
    asAdmin();
    const { createPlanAction, movePlanAction, setPlanActiveAction } = await import("@/app/admin/plans/actions");
    expect(await createPlanAction(undefined, form({ name: "Student", description: "Half price", features: "Everything\nFor students", amount: "4.25", interval: "month", currency: "usd", trialDays: "14" }))).toMatchObject({ ok: true });
    const student = await planNamed("Student");
    expect(student).toMatchObject({ amount: 425, trialDays: 14, features: ["Everything", "For students"], active: true });
    expect(await api.prices.retrieve(student.stripePriceId!)).toMatchObject({ active: true, unit_amount: 425 });
    expect(await lastAudit()).toMatchObject({ action: "plan.create" });

    const order = async () => (await (await db()).select().from(plans).orderBy(plans.sortOrder, plans.id)).map((p) => p.name);
    expect((await order()).at(-1)).toBe("Student");
    expect(await movePlanAction(undefined, form({ id: student.id, direction: "up" }))).toMatchObject({ ok: true });
    expect((await order()).at(-2)).toBe("Student");
    expect(await lastAudit()).toMatchObject({ action: "plan.reorder" });

    expect(await setPlanActiveAction(undefined, form({ id: student.id, active: "false" }))).toMatchObject({ ok: true });
    expect((await api.prices.retrieve(student.stripePriceId!)).active).toBe(false);
    const { listActivePlans } = await import("@/lib/billing/plans");
    expect((await listActivePlans()).map((p) => p.name)).not.toContain("Student");

    expect(await setPlanActiveAction(undefined, form({ id: student.id, active: "true" }))).toMatchObject({ ok: true });
    const back = await planNamed("Student");
    expect(await api.prices.retrieve(back.stripePriceId!)).toMatchObject({ active: true, unit_amount: 425 });
    expect((await listActivePlans()).map((p) => p.name)).toContain("Student");
    expect(await lastAudit()).toMatchObject({ action: "plan.unarchive" });
  });

  it("when Stripe is down the change is kept, the plan cannot be bought at the wrong price, and Retry sync converges", async () => {
    asAdmin();
    const { updatePlanAction, pushPlanAction } = await import("@/app/admin/plans/actions");
    const { listPlansForAdmin } = await import("@/lib/admin/plans/queries");
    const student = await planNamed("Student");
    process.env.STRIPE_API_BASE = "http://127.0.0.1:9"; // nothing listens there
    resetEnvForTests();
    try {
      const result = await updatePlanAction(undefined, form({ id: student.id, name: "Student", amount: "5.00", interval: "month", trialDays: "14" }));
      expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/Saved here, but Stripe could not be updated.*Retry sync/s) });
    } finally {
      process.env.STRIPE_API_BASE = app.emulator.url;
      resetEnvForTests();
    }
    const stuck = await planNamed("Student");
    expect(stuck).toMatchObject({ amount: 500, stripePriceId: null });
    expect((await listPlansForAdmin(await db())).find((p) => p.id === student.id)!.needsPush).toBe(true);
    const { startCheckout } = await import("@/lib/billing/checkout");
    await expect(startCheckout(await db(), { user: null, planId: student.id, returnPath: "/" })).rejects.toThrow();

    expect(await pushPlanAction(undefined, form({ id: student.id }))).toMatchObject({ ok: true });
    expect(await pushPlanAction(undefined, form({ id: student.id }))).toMatchObject({ ok: true }); // again: nothing new
    const pushed = await planNamed("Student");
    expect(await api.prices.retrieve(pushed.stripePriceId!)).toMatchObject({ active: true, unit_amount: 500 });
    expect((await api.prices.retrieve(student.stripePriceId!)).active).toBe(false);
    expect((await api.prices.list({ product: pushed.stripeProductId!, active: true, limit: 100 })).data.filter((p) => p.metadata.masthead_plan_id === String(student.id))).toHaveLength(1);
    expect((await listPlansForAdmin(await db())).find((p) => p.id === student.id)!.needsPush).toBe(false);
  });

  it("granting and revoking complimentary access change the entitlement at once", async () => {
    const { loadEntitlement } = await import("@/lib/access/user-entitlement");
    const { grantAccessAction, revokeGrantAction } = await import("@/app/admin/subscribers/actions");
    const [reader] = await (await db()).select().from(users).where(eq(users.email, "someone@ledger.test"));
    expect(await loadEntitlement(await db(), reader!.id)).toBeNull();
    // The reading path's view of this reader (cached per session, forgotten when a change commits).
    const { resolveReader } = await import("@/lib/access/resolve-reader");
    const jar = { get: (name: string) => (name === "authjs.session-token" ? { value: readerToken } : undefined) };
    // NOTIFY is delivered after commit: a change reaches the next request soon, not at once.
    const nextRequest = async () => (await resolveReader(jar)).reader;
    expect(await nextRequest()).toMatchObject({ kind: "user", entitlement: null });

    asAdmin();
    expect(await grantAccessAction(undefined, form({ userId: reader!.id, reason: "  " }))).toMatchObject({ ok: false, fieldErrors: { reason: expect.any(String) } });
    expect(await grantAccessAction(undefined, form({ userId: reader!.id, reason: "Press", endsOn: "2001-01-01" }))).toMatchObject({ ok: false, fieldErrors: { endsOn: expect.any(String) } });
    expect(await loadEntitlement(await db(), reader!.id)).toBeNull();

    const lastDay = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    expect(await grantAccessAction(undefined, form({ userId: reader!.id, reason: "Press pass", endsOn: lastDay }))).toMatchObject({ ok: true });
    const right = await loadEntitlement(await db(), reader!.id);
    expect(right).toMatchObject({ source: "grant" });
    await expect.poll(nextRequest).toMatchObject({ kind: "user", entitlement: { source: "grant" } });
    expect(right!.until!.toISOString()).toBe(new Date(Date.parse(`${lastDay}T00:00:00Z`) + 86_400_000).toISOString());
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: "grant.create", targetType: "grant" });

    const { readerDetail } = await import("@/lib/admin/subscribers/reader-detail");
    const detail = await readerDetail(await db(), reader!.id, 3);
    expect(detail!.grants).toEqual([expect.objectContaining({ reason: "Press pass", active: true, createdBy: "boss@ledger.test" })]);
    expect(Object.keys(detail!.account).sort()).toEqual(["deletedAt", "email", "emailVerified", "id", "memberSince", "role"]);

    expect(await revokeGrantAction(undefined, form({ grantId: audit!.targetId! }))).toMatchObject({ ok: true, message: "Grant revoked." });
    expect(await loadEntitlement(await db(), reader!.id)).toBeNull();
    await expect.poll(nextRequest).toMatchObject({ kind: "user", entitlement: null });
    expect(await lastAudit()).toMatchObject({ action: "grant.revoke", targetId: audit!.targetId });
    expect(await revokeGrantAction(undefined, form({ grantId: audit!.targetId! }))).toMatchObject({ ok: true, message: expect.stringMatching(/already/) });
  });

  it("replays a failed event: it is processed and audited; a processed one is not replayed", async () => {
    const [event] = await (await db())
      .select()
      .from(stripeEvents)
      .where(and(eq(stripeEvents.type, "invoice.paid"), eq(stripeEvents.state, "processed")))
      .limit(1);
    expect(event).toBeTruthy();
    await (await db()).update(stripeEvents).set({ state: "failed", error: "connection reset (simulated)", processedAt: null }).where(eq(stripeEvents.id, event!.id));

    cookieState.sessionToken = readerToken;
    const { replayEventAction } = await import("@/app/admin/webhooks/actions");
    await expect(replayEventAction(undefined, form({ eventId: event!.id }))).rejects.toMatchObject({ digest: NOT_FOUND_DIGEST });
    expect((await (await db()).select().from(stripeEvents).where(eq(stripeEvents.id, event!.id)))[0]!.state).toBe("failed");

    asAdmin();
    const { listStoredEvents } = await import("@/lib/admin/webhooks/queries");
    expect((await listStoredEvents(await db(), { state: "failed", page: 1 })).rows.map((r) => r.id)).toEqual([event!.id]);
    expect(await replayEventAction(undefined, form({ eventId: event!.id }))).toMatchObject({ ok: true, message: "Replayed: processed." });
    const [row] = await (await db()).select().from(stripeEvents).where(eq(stripeEvents.id, event!.id));
    expect(row).toMatchObject({ state: "processed", error: null, attempts: event!.attempts + 1 });
    expect(await lastAudit()).toMatchObject({ action: "stripe_event.replay", targetId: event!.id, before: expect.objectContaining({ state: "failed" }), after: expect.objectContaining({ state: "processed" }) });

    expect(await replayEventAction(undefined, form({ eventId: event!.id }))).toMatchObject({ ok: false, message: expect.stringMatching(/Only failed events/) });
    expect(await replayEventAction(undefined, form({ eventId: "evt_does_not_exist" }))).toMatchObject({ ok: false });
  });

  it("exports subscribers as CSV with every field escaped, formula cells defused; non-admins get 404", async () => {
    const evil = "=hyperlink(\"http://evil.test\",\"x\")@ledger.test";
    const [user] = await (await db()).insert(users).values({ email: evil }).returning();
    asAdmin();
    const { grantAccessAction } = await import("@/app/admin/subscribers/actions");
    expect(await grantAccessAction(undefined, form({ userId: user!.id, reason: "+1 friend" }))).toMatchObject({ ok: true });

    const { GET } = await import("@/app/admin/subscribers/export/route");
    const response = await GET(new NextRequest("http://localhost/admin/subscribers/export"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="subscribers-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = (await response.text()).split("\r\n");
    expect(lines[0]).toBe("email,plan,status,entitled,current_period_end,created");
    expect(lines).toContain(`"'=hyperlink(""http://evil.test"",""x"")@ledger.test",,comp,yes,,`);
    expect(lines.find((l) => l.startsWith("early-bird@ledger.test,"))).toMatch(/^early-bird@ledger\.test,Monthly,active,yes,\d{4}-\d{2}-\d{2}T[^,]+Z,\d{4}-/);
    expect(lines.some((l) => l.startsWith("someone@ledger.test"))).toBe(true); // comped once (revoked): still listed, not entitled
    expect(lines.find((l) => l.startsWith("someone@ledger.test"))).toMatch(/,no,/);

    const searched = await GET(new NextRequest("http://localhost/admin/subscribers/export?q=early"));
    expect((await searched.text()).trim().split("\r\n")).toHaveLength(2);

    cookieState.sessionToken = readerToken;
    await expect(GET(new NextRequest("http://localhost/admin/subscribers/export"))).rejects.toMatchObject({ digest: NOT_FOUND_DIGEST });
  });

  it("the dashboard counts the subscribers, their MRR and the funnel", async () => {
    const { loadDashboard } = await import("@/lib/admin/dashboard/queries");
    const { flushFunnelEvents } = await import("@/lib/analytics/funnel");
    await flushFunnelEvents();
    const dashboard = await loadDashboard(await db(), 7, 3);
    expect(dashboard.counts.active).toBe(2);
    // early-bird pays $8.00 (old price), late-comer $9.50.
    expect(dashboard.mrr).toEqual([{ currency: "usd", amount: 1750 }]);
    expect(dashboard.series.at(-1)!.new).toBe(2);
    expect(dashboard.funnel.find((s) => s.type === "checkout_started")!.count).toBeGreaterThanOrEqual(2);
  });
});
