import { and, eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { familyInvites, familyMembers, grants, plans, subscriptions, users } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";
import { messageLinks, waitForMessage } from "@/lib/mail/mailbox";
import { form } from "./support/action-forms";
import { adminSession, cookieState, createSignedInUser, fixtureText, SESSION_COOKIE, signOutAndClose } from "./support/admin-harness";
import { type AppDatabase, engines, openAppDatabase } from "./support/databases";
import { mailSinkForSuite } from "./support/mail-sink";

vi.mock("next/headers", async () => (await import("./support/next-request")).nextHeaders());
vi.mock("next/cache", async (original) => (await import("./support/next-request")).nextCache(await original()));

const SITE = "http://ledger.test";
const LAST = "expects to have cleared the backlog by the middle of next week";
const DAY = 86_400_000;

describe.each(engines)("family plans on %s", (engine) => {
  let t: AppDatabase;
  const { mailbox } = mailSinkForSuite("family");
  let lockedSlug: string;
  let articleResponse: typeof import("@/lib/reading/article-response").articleResponse;
  let family: typeof import("@/lib/family/places");
  let pages: typeof import("@/lib/reading/pages/family-pages");
  let familyPlanId: number;
  let plainPlanId: number;
  // One clock for the suite's rows: periods are set around it, later instants are passed in.
  const now = new Date();

  beforeAll(async () => {
    t = await openAppDatabase(engine, { SITE_URL: SITE, BILLING_GRACE_DAYS: "3" });
    const { importPlainTextArticle } = await import("@/lib/content/import-article");
    lockedSlug = (await importPlainTextArticle(t.db, fixtureText, { slug: "for-subscribers", access: "subscribers" })).slug;
    ({ articleResponse } = await import("@/lib/reading/article-response"));
    family = await import("@/lib/family/places");
    pages = await import("@/lib/reading/pages/family-pages");
    familyPlanId = (await t.db.insert(plans).values({ name: "Family", amount: 1600, interval: "month", familyAccounts: 3 }).returning({ id: plans.id }))[0]!.id;
    plainPlanId = (await t.db.insert(plans).values({ name: "Digital", amount: 800, interval: "month" }).returning({ id: plans.id }))[0]!.id;
  });
  afterAll(() => signOutAndClose(t));

  const page = async (token: string) => (await articleResponse(new NextRequest(`${SITE}/articles/${lockedSlug}`, { headers: { cookie: `${SESSION_COOKIE}=${token}` } }), lockedSlug, "read")).text();
  const readsFull = async (token: string) => (await page(token)).includes(LAST);
  let n = 0;

  /** A signed-in, verified reader paying for a subscription on `planId`, its period around the suite's clock. */
  async function payer(planId = familyPlanId, over: Partial<typeof subscriptions.$inferInsert> = {}) {
    const email = `payer${++n}@home.example`;
    const user = await createSignedInUser(t.db, email, "reader");
    const id = `sub_family_${engine}_${n}`;
    await t.db.insert(subscriptions).values({
      stripeSubscriptionId: id,
      stripeCustomerId: `cus_${id}`,
      userId: user.id,
      status: "active",
      stripePriceId: `price_${planId}`,
      planId,
      currentPeriodStart: new Date(now.getTime() - DAY),
      currentPeriodEnd: new Date(now.getTime() + 29 * DAY),
      stripeCreated: new Date(now.getTime() - DAY),
      ...over,
    });
    return { ...user, email, subscriptionId: id, user: { id: user.id, email, emailVerified: now } };
  }
  async function reader(name: string) {
    const email = `${name}${++n}@home.example`;
    const user = await createSignedInUser(t.db, email, "reader");
    return { ...user, email, user: { id: user.id, email, emailVerified: now } };
  }
  /** Invites and accepts: the member holds a place. */
  async function join(p: Awaited<ReturnType<typeof payer>>, m: Awaited<ReturnType<typeof reader>>) {
    const invite = await family.createFamilyInvite(t.db, p.user, m.email, now);
    if (!invite.ok) throw new Error(invite.message);
    expect(await family.acceptFamilyInvite(t.db, invite.token, m.user, now)).toMatchObject({ ok: true });
  }
  /** What a webhook does to the payer's row: the change and the readers announcement in one transaction. */
  async function payerSubscriptionChanges(p: Awaited<ReturnType<typeof payer>>, set: Partial<typeof subscriptions.$inferInsert>) {
    await t.db.transaction(async (tx) => {
      await tx.update(subscriptions).set(set).where(eq(subscriptions.stripeSubscriptionId, p.subscriptionId));
      await announceChange(tx, "readers", p.id);
    });
  }
  const post = (url: string, token: string, fields: Record<string, string>) =>
    new NextRequest(`${SITE}${url}`, { method: "POST", headers: { cookie: `${SESSION_COOKIE}=${token}`, origin: SITE }, body: new URLSearchParams(fields) });
  const inviteCount = async () => Number((await t.db.select({ n: sql<number>`count(*)` }).from(familyInvites))[0]!.n);

  it("invites by mail; only the invited address, verified, accepts, once; the member reads in full and the payer sees addresses only", async () => {
    const p = await payer();
    const m = await reader("kid");
    expect(await readsFull(m.token)).toBe(false);
    const sent = new Date();
    const response = await pages.familyInvitePostResponse(post("/account/family", p.token, { email: ` ${m.email.toUpperCase()} ` }));
    expect(response.status).toBe(303);
    const mail = await waitForMessage(mailbox, { to: m.email, after: sent, timeoutMs: 10_000 });
    const link = messageLinks(mail).find((l) => l.includes("/account/family/join"))!;
    const token = new URL(link).searchParams.get("token")!;
    // Only the token's SHA-256 is stored.
    const [stored] = await t.db.select().from(familyInvites).where(eq(familyInvites.email, m.email));
    expect(stored!.tokenHash).not.toContain(token);
    expect(stored!.tokenHash).toMatch(/^[0-9a-f]{64}$/);

    // Someone else, or the right address unverified, is refused; opening the page changes nothing.
    const other = await reader("other");
    expect(await family.acceptFamilyInvite(t.db, token, other.user, now)).toMatchObject({ ok: false, message: /for another address/ });
    expect(await family.acceptFamilyInvite(t.db, token, { ...m.user, emailVerified: null }, now)).toMatchObject({ ok: false, message: /for another address/ });
    const opened = await pages.familyJoinPageResponse(new NextRequest(`${SITE}/account/family/join?token=${token}`, { headers: { cookie: `${SESSION_COOKIE}=${m.token}` } }));
    expect(await opened.text()).toMatch(/Accept/);
    expect(await readsFull(m.token)).toBe(false);

    const accepted = await pages.familyJoinPostResponse(post("/account/family/join", m.token, { token }));
    expect(await accepted.text()).toMatch(/Welcome: you read every article/);
    await vi.waitFor(async () => expect(await readsFull(m.token)).toBe(true), { timeout: 1_000, interval: 20 });
    // Used: it works once, for anyone.
    expect(await family.acceptFamilyInvite(t.db, token, m.user, now)).toMatchObject({ ok: false, message: /already used/ });

    // The payer's page lists the address; nothing about what the member read.
    const payerPage = await (await pages.familyPageResponse(new NextRequest(`${SITE}/account/family`, { headers: { cookie: `${SESSION_COOKIE}=${p.token}` } }))).text();
    expect(payerPage).toContain(m.email);
    expect(payerPage).not.toContain(lockedSlug);
    // The member's page names the payer, and the account page links it; the member is no payer.
    const memberPage = await (await pages.familyPageResponse(new NextRequest(`${SITE}/account/family`, { headers: { cookie: `${SESSION_COOKIE}=${m.token}` } }))).text();
    expect(memberPage).toContain(`on ${p.email}'s family subscription`);
    expect(memberPage).not.toContain('data-testid="family-payer"');

    // The access trace and the reader's "why" name the family place and the payer's subscription.
    const { traceReading } = await import("@/lib/trace/trace-reading");
    const { supportExplanation } = await import("@/lib/trace/explanation");
    const trace = (await traceReading(t.db, { kind: "user", userId: m.id }, lockedSlug, "read"))!;
    expect(trace.decision.reason).toBe("family");
    expect(supportExplanation(trace.explained)).toContain(p.subscriptionId);
    const { whyForReader } = await import("@/lib/trace/reader-why");
    const cookies = new NextRequest(SITE, { headers: { cookie: `${SESSION_COOKIE}=${m.token}` } }).cookies;
    expect(JSON.stringify(await whyForReader(cookies, lockedSlug))).toMatch(/family subscription/);
  });

  it("an expired link is refused; bad addresses, the payer's own, a member's and one beyond the cap get field errors and save nothing", async () => {
    const p = await payer();
    const m = await reader("late");
    const invite = await family.createFamilyInvite(t.db, p.user, m.email, now);
    if (!invite.ok) throw new Error(invite.message);
    expect(await family.acceptFamilyInvite(t.db, invite.token, m.user, new Date(now.getTime() + 30 * DAY + 1))).toMatchObject({ ok: false, message: /expired/ });
    expect(await family.acceptFamilyInvite(t.db, "A".repeat(43), m.user, now)).toMatchObject({ ok: false, message: /not one of ours/ });

    const before = await inviteCount();
    for (const [email, error] of [
      ["not an address", /Enter an email address like/],
      ["", /Enter an email address/],
      [p.email, /your own address/],
    ] as const) {
      const response = await pages.familyInvitePostResponse(post("/account/family", p.token, { email }));
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(text).toMatch(error);
      expect(text).toContain('aria-invalid="true"');
    }
    // Three accounts, the payer included: two places.
    await join(p, m);
    await join(p, await reader("second"));
    for (const [email, error] of [[m.email, /in your family already/], ["third@home.example", /Every place is taken/]] as const) {
      const response = await pages.familyInvitePostResponse(post("/account/family", p.token, { email }));
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(error);
    }
    expect(await inviteCount()).toBe(before + 2);
    // Someone without a family plan invites nobody.
    const plain = await payer(plainPlanId);
    expect(await family.createFamilyInvite(t.db, plain.user, "x@home.example", now)).toMatchObject({ ok: false, message: /no family subscription/ });
  });

  it("two accepts racing for the last place: exactly one wins", async () => {
    const p = await payer();
    await join(p, await reader("first"));
    const racers = await Promise.all([reader("racer"), reader("racer"), reader("racer")]);
    const tokens: string[] = [];
    for (const r of racers) {
      const invite = await family.createFamilyInvite(t.db, p.user, r.email, now);
      if (!invite.ok) throw new Error(invite.message);
      tokens.push(invite.token);
    }
    // Each insert waits 100 ms before it commits, so the accepts overlap for certain: without the lock on the payer's row every one would count one place taken.
    await t.db.execute(sql.raw(`create function slow_place() returns trigger language plpgsql as $$ begin perform pg_sleep(0.1); return new; end $$`));
    await t.db.execute(sql.raw(`create trigger slow_place before insert on family_members for each row execute function slow_place()`));
    const results = await Promise.all(racers.map((r, i) => family.acceptFamilyInvite(t.db, tokens[i]!, r.user, now))).finally(async () => {
      await t.db.execute(sql.raw(`drop trigger slow_place on family_members`));
      await t.db.execute(sql.raw(`drop function slow_place()`));
    });
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && /Every place/.test(r.message))).toBe(true);
    const held = await t.db.select().from(familyMembers).where(and(eq(familyMembers.stripeSubscriptionId, p.subscriptionId), sql`${familyMembers.endedAt} is null`));
    expect(held).toHaveLength(2);
  });

  it("a member leaves, and the payer removes one: the place is freed and reading ends within a second", async () => {
    const p = await payer();
    const leaver = await reader("leaver");
    const removed = await reader("removed");
    await join(p, leaver);
    await join(p, removed);
    expect(await readsFull(leaver.token)).toBe(true);
    expect(await readsFull(removed.token)).toBe(true);

    let started = Date.now();
    await pages.familyLeavePostResponse(post("/account/family/leave", leaver.token, { subscription: p.subscriptionId }));
    await vi.waitFor(async () => expect(await readsFull(leaver.token)).toBe(false), { timeout: 1_000, interval: 20 });
    expect(Date.now() - started).toBeLessThan(1_000);
    // Leaving was their choice: the card sells plans without telling them anything ended.
    expect(await page(leaver.token)).not.toContain('data-testid="family-ended"');

    // Someone else's remove changes nothing; the payer's does.
    const stranger = await payer();
    await pages.familyRemovePostResponse(post("/account/family/remove", stranger.token, { member: removed.id }));
    expect(await readsFull(removed.token)).toBe(true);
    started = Date.now();
    await pages.familyRemovePostResponse(post("/account/family/remove", p.token, { member: removed.id }));
    await vi.waitFor(async () => expect(await readsFull(removed.token)).toBe(false), { timeout: 1_000, interval: 20 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await page(removed.token)).toContain("Your family subscription ended");
    // Both places are free again: two more can join.
    await join(p, await reader("again"));
    await join(p, await reader("again"));
  });

  it("the payer cancels at period end: members read until the end, then see that the family subscription ended", async () => {
    const p = await payer();
    const m = await reader("member");
    await join(p, m);
    await payerSubscriptionChanges(p, { cancelAtPeriodEnd: true });
    expect(await readsFull(m.token)).toBe(true);
    const { decideAccess } = await import("@/lib/access/decide-access");
    const { loadSessionReaderFacts, readerFrom } = await import("@/lib/access/reader-record");
    const facts = (await loadSessionReaderFacts(t.db, m.token, now))!;
    const decide = (at: Date) =>
      decideAccess({ reader: readerFrom(facts, at, 3), article: { id: 1, access: "subscribers" }, meter: null, now: at, policy: { anonymousLimit: 3, registeredLimit: 10, windowDays: 30 }, intent: "read" });
    expect(decide(new Date(now.getTime() + 29 * DAY - 60_000))).toMatchObject({ level: "full", reason: "family" });
    expect(decide(new Date(now.getTime() + 29 * DAY + 60_000))).toMatchObject({ level: "preview", reason: "subscribers-only" });
    expect(readerFrom(facts, new Date(now.getTime() + 29 * DAY + 60_000), 3)).toMatchObject({ familyEnded: true });
    // Stripe ends it at the period's end: the card says so now.
    await payerSubscriptionChanges(p, { status: "canceled", currentPeriodStart: new Date(now.getTime() - 31 * DAY), currentPeriodEnd: new Date(now.getTime() - DAY), endedAt: new Date(now.getTime() - DAY) });
    await vi.waitFor(async () => expect(await readsFull(m.token)).toBe(false), { timeout: 1_000, interval: 20 });
    expect(await page(m.token)).toContain("Your family subscription ended");
  });

  it("past due: members read through the payer's grace, not after; the payer's own grant never carries them", async () => {
    const p = await payer();
    const m = await reader("grace");
    await join(p, m);
    await payerSubscriptionChanges(p, { status: "past_due", currentPeriodStart: new Date(now.getTime() - 2 * DAY) });
    await vi.waitFor(async () => expect((await (await import("@/lib/trace/trace-reading")).traceReading(t.db, { kind: "user", userId: m.id }, lockedSlug, "read"))!.decision.reason).toBe("family"));
    expect(await readsFull(m.token)).toBe(true);
    // Past the 3 days of grace; the payer still reads by a grant of their own, the member does not.
    await t.db.insert(grants).values({ userId: p.id, reason: "press pass" });
    await payerSubscriptionChanges(p, { currentPeriodStart: new Date(now.getTime() - 4 * DAY) });
    await vi.waitFor(async () => expect(await readsFull(m.token)).toBe(false), { timeout: 1_000, interval: 20 });
    expect(await readsFull(p.token)).toBe(true);
  });

  it("a member who pays for their own subscription is told, and the admin's billing checks list them", async () => {
    const p = await payer();
    const m = await payer(plainPlanId);
    const invite = await family.createFamilyInvite(t.db, p.user, m.email, now);
    if (!invite.ok) throw new Error(invite.message);
    expect(await family.acceptFamilyInvite(t.db, invite.token, m.user, now)).toMatchObject({ ok: true, alsoPays: true });
    expect(await pages.familyAccountLine(m.id).then(String)).toContain('data-testid="family-also-pays"');
    const { billingChecks } = await import("@/lib/admin/subscribers/billing-checks");
    expect((await billingChecks(t.db)).severalLive).toContainEqual(expect.objectContaining({ userId: m.id, email: m.email, live: 1, familyPlaces: 1 }));
    // A seat reads only: the member is no admin and manages nobody.
    const [row] = await t.db.select({ role: users.role }).from(users).where(eq(users.id, m.id));
    expect(row!.role).toBe("reader");
    expect(await family.payerFamily(t.db, m.id, now)).toBeNull();
  });

  it("the admin's plan form: a family size out of range is a field error and saves nothing", async () => {
    const boss = await adminSession(t.db);
    const actions = await import("@/app/admin/plans/actions");
    const count = async () => Number((await t.db.select({ n: sql<number>`count(*)` }).from(plans))[0]!.n);
    const before = await count();
    for (const familyAccounts of ["1", "21", "four", "2.5"]) {
      const result = await actions.createPlanAction(undefined, form({ name: "Household", amount: "20.00", interval: "month", currency: "usd", family: "on", familyAccounts }));
      expect(result).toMatchObject({ ok: false, fieldErrors: { familyAccounts: expect.stringMatching(/from 2 to 20/) } });
    }
    expect(await count()).toBe(before);
    // Made no longer a family plan: its members stop reading on every instance within a second.
    const plan = (await t.db.insert(plans).values({ name: `Household ${engine}`, amount: 2000, interval: "month", familyAccounts: 4 }).returning())[0]!;
    const p = await payer(plan.id);
    const m = await reader("household");
    await join(p, m);
    expect(await readsFull(m.token)).toBe(true);
    const started = Date.now();
    const { updatePlan } = await import("@/lib/admin/plans/commands");
    const edit = { id: plan.id, name: plan.name, description: null, features: [], trialDays: 0, trialPerPlan: false, amount: "20.00", interval: "month" as const, familyAccounts: null };
    expect(await updatePlan(t.db, { id: boss.id, email: boss.email }, edit)).toMatchObject({ ok: true, changed: true, priceChanged: false });
    await vi.waitFor(async () => expect(await readsFull(m.token)).toBe(false), { timeout: 1_000, interval: 20 });
    expect(Date.now() - started).toBeLessThan(1_000);
    const { createPlanSchema } = await import("@/lib/admin/plans/form");
    expect(createPlanSchema.parse({ name: "Household", amount: "20.00", interval: "month", currency: "usd", family: "on" }).familyAccounts).toBe(4);
    expect(createPlanSchema.parse({ name: "Single", amount: "8.00", interval: "month", currency: "usd", familyAccounts: "7" }).familyAccounts).toBeNull();
    cookieState.sessionToken = null;
  });
});
