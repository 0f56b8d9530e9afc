/**
 * A simulated year: 200 readers against the Stripe emulator and a real database, the emulator's
 * clock moved half a month at a time through 12 months. Readers subscribe (signed in or out,
 * with and without offers, typed in any letter case), renew, pay with a card that fails later
 * and replace it, open the cancel page (in two tabs), take the save offer (and replay it),
 * cancel, resume, pause and resume, switch plans in the portal and subscribe again; webhooks
 * are sometimes delivered twice. Every step goes through the app's own code (tests/simulation/
 * support/reader-actions.ts) and the webhook handler. The money audit runs after each step's
 * readers and at the end: no findings, and the dashboard's MRR equals the audit's sum from Stripe.
 *
 * MONEY_YEAR_SEED=<n> replays a year; the seed is printed first.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { offers, plans, users } from "@/db/schema";
import type { MoneyFinding } from "@/lib/money-audit/report-schema";
import { startBillingApp, type BillingApp } from "../integration/support/billing-app";
import { seeded } from "./support/random";
import { cancelFlow, currentSubscription, FAILING_CARD, GOOD_CARD, resume, subscribe, switchPlan, type Reader } from "./support/reader-actions";

const READERS = Number(process.env.MONEY_YEAR_READERS ?? 200);
const STEPS = Number(process.env.MONEY_YEAR_STEPS ?? 24);
const STEP_DAYS = 15;
const DAY = 86_400;
const seed = Number(process.env.MONEY_YEAR_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`Simulated money year: seed ${seed} (MONEY_YEAR_SEED=${seed} replays it)`);

let app: BillingApp;
const admin = { id: "year-admin", email: "admin@year.test" };

beforeAll(async () => {
  // PostgreSQL when CI has one (TEST_DATABASE_URL): it runs beside the test on the other core.
  app = await startBillingApp(process.env.TEST_DATABASE_URL ? "postgres" : "pglite", { key: "sk_test_money_year", secret: "whsec_money_year_0123456789abcdef0123456789", admin });
});
afterAll(() => app?.close());

async function makeOffer(code: string, input: { kind: "percent" | "trial"; percentOff?: number; trialDays?: number; duration: "once" | "repeating" | "forever"; durationMonths?: number; planIds: number[]; newCustomersOnly: boolean }) {
  const { createOffer } = await import("@/lib/admin/offers/commands");
  const { tryPushOfferToStripe } = await import("@/lib/offers/push-offer");
  const db = await app.db();
  const made = await createOffer(db, admin, {
    name: code, code, kind: input.kind, percentOff: input.percentOff ?? null, amountText: null, trialDays: input.trialDays ?? null,
    duration: input.duration, durationMonths: input.durationMonths ?? null, planIds: input.planIds, newCustomersOnly: input.newCustomersOnly,
    startsAt: null, endsAt: null, maxRedemptions: null, replaces: null,
  });
  if (!made.ok) throw new Error(made.message);
  expect(await tryPushOfferToStripe(db, made.offerId)).toEqual({ ok: true });
  return (await db.select().from(offers).where(eq(offers.id, made.offerId)))[0]!;
}

it(`${READERS} readers through 12 months: the money audit finds nothing, and the dashboard's MRR is the audit's`, async () => {
  const started = Date.now();
  const random = seeded(seed);
  // The app logs what it cannot do (no mail server here, for one): counted and shown once at the end.
  const logged = new Map<string, number>();
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    const line = args.map((a) => (a instanceof Error ? a.message : String(a))).join(" ").split("\n")[0]!.slice(0, 120);
    logged.set(line, (logged.get(line) ?? 0) + 1);
  });
  const db = await app.db();
  const planRows = await db.select().from(plans);
  const monthlyPlan = planRows.find((p) => p.name === "Monthly")!;
  const yearlyPlan = planRows.find((p) => p.name === "Yearly")!;
  const codes = {
    [monthlyPlan.id]: ["WELCOME", "TRY14"],
    [yearlyPlan.id]: ["ANNUAL20", "TRY14"],
  } as Record<number, string[]>;
  await makeOffer("WELCOME", { kind: "percent", percentOff: 50, duration: "repeating", durationMonths: 3, planIds: [monthlyPlan.id], newCustomersOnly: true });
  await makeOffer("ANNUAL20", { kind: "percent", percentOff: 20, duration: "forever", planIds: [yearlyPlan.id], newCustomersOnly: false });
  await makeOffer("TRY14", { kind: "trial", trialDays: 14, duration: "once", planIds: [monthlyPlan.id, yearlyPlan.id], newCustomersOnly: true });
  const stay = await makeOffer("STAY", { kind: "percent", percentOff: 50, duration: "once", planIds: [monthlyPlan.id, yearlyPlan.id], newCustomersOnly: false });
  const { saveRetention } = await import("@/lib/admin/offers/commands");
  expect(await saveRetention(db, admin, { kind: "pause", offerId: null, pauseMonths: 1 })).toEqual({ ok: true });

  const inserted = await db
    .insert(users)
    .values(Array.from({ length: READERS }, (_, i) => ({ email: `reader${i}@year.test`, emailVerified: new Date() })))
    .returning({ id: users.id, email: users.email });
  const readers: Reader[] = inserted.map((u) => ({ userId: u.id, email: u.email!, card: random.chance(0.08) ? FAILING_CARD : GOOD_CARD }));

  const did = new Map<string, number>();
  const count = (what: string) => did.set(what, (did.get(what) ?? 0) + 1);
  const findings = new Map<string, MoneyFinding>();
  const { runMoneyAudit } = await import("@/lib/money-audit/run-audit");
  const auditNow = async () => {
    const report = await runMoneyAudit(db);
    for (const f of report.findings) findings.set(`${f.rule}|${f.subscription}`, f);
    return report;
  };

  for (let step = 0; step < STEPS; step++) {
    // Half way through the year the publisher changes the save offer from a pause to a discount.
    if (step === STEPS / 2) expect(await saveRetention(db, admin, { kind: "discount", offerId: stay.id, pauseMonths: null })).toEqual({ ok: true });
    const t0 = Date.now();
    for (const reader of random.shuffle(readers)) {
      if (!random.chance(step === 0 ? 0.6 : 0.3)) continue;
      const sub = await currentSubscription(app, reader);
      try {
        if (!sub) {
          if (!random.chance(0.5)) continue;
          if (reader.card === FAILING_CARD && random.chance(0.5) && (did.get(`failed:${reader.userId}`) ?? 0) > 0) reader.card = GOOD_CARD;
          const plan = random.chance(0.7) ? monthlyPlan : yearlyPlan;
          const signedIn = random.chance(0.8);
          count(
            await subscribe(app, reader, {
              planId: plan.id,
              code: random.chance(0.35) ? random.pick(codes[plan.id]!) : null,
              signedIn,
              typedEmail: random.chance(0.3) ? reader.email.toUpperCase() : reader.email,
              twoTabs: random.chance(0.03),
              replayReturn: random.chance(0.1),
            }),
          );
          if (reader.card === FAILING_CARD) count(`failed:${reader.userId}`);
        } else if (sub.collectionPaused) {
          if (random.chance(0.4)) count(await resume(app, reader, sub));
        } else if (sub.cancelAtPeriodEnd) {
          if (random.chance(0.3)) count(await resume(app, reader, sub));
        } else if (sub.status === "active") {
          const roll = random.next();
          if (roll < 0.12) count(await cancelFlow(app, reader, sub, { accept: random.chance(0.5), replay: random.chance(0.2), twoTabs: random.chance(0.1) }));
          // Readers on a discount try the other plan more often: the discount must not follow them there.
          else if (roll < (sub.discountDuration ? 0.3 : 0.16)) count(await switchPlan(app, reader, sub));
        }
      } catch (error) {
        count(`refused: ${error instanceof Error ? error.message.split("\n")[0]!.slice(0, 80) : String(error)}`);
      }
    }
    // Stripe sometimes delivers an event twice.
    if (random.chance(0.5)) await fetch(`${app.emulator.url}/_emulator/webhooks/next`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ mode: "duplicate" }) });
    await app.settle();
    // The audit judges the days from its moment on: run after the readers act (a pause, a resume,
    // a second checkout is judged while in effect), as a daily run would see it.
    const t1 = Date.now();
    await auditNow();
    const t2 = Date.now();
    await app.emulator.advanceClock(STEP_DAYS * DAY);
    await app.settle();
    if (process.env.MONEY_YEAR_VERBOSE) console.log(`step ${step}: readers ${t1 - t0} ms, audit ${t2 - t1} ms, clock ${Date.now() - t2} ms, ${app.emulator.deliveries().length} deliveries`);
  }

  const report = await auditNow();
  const { loadDashboard } = await import("@/lib/admin/dashboard/queries");
  const dashboard = await loadDashboard(db, 30, 3);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const actions = [...did.entries()].filter(([k]) => !k.startsWith("failed:")).sort(([a], [b]) => a.localeCompare(b));
  console.log(`Seed ${seed}: ${seconds} s; ${report.counts.subscriptions} subscriptions, ${report.counts.invoices} invoices (${report.counts.paidInvoices} paid); MRR ${JSON.stringify(report.mrr)}, dashboard ${JSON.stringify(dashboard.mrr)}`);
  console.log(`Actions: ${actions.map(([k, n]) => `${k} ${n}`).join(", ")}`);
  for (const [line, n] of logged) console.log(`  logged ${n}×: ${line}`);
  const byRule = new Map<string, number>();
  for (const f of findings.values()) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
  console.log(`Findings over the year: ${findings.size}${findings.size ? ` (${[...byRule.entries()].map(([r, n]) => `${r} ${n}`).join(", ")})` : ""}`);
  for (const f of [...findings.values()].slice(0, 40)) console.log(`  ${f.rule} ${f.subscription} ${f.from.slice(0, 10)}..${f.to.slice(0, 10)}: ${f.detail}`);

  expect(report.counts.subscriptions).toBeGreaterThan(READERS / 2);
  expect(dashboard.mrr).toEqual(report.mrr);
  expect([...findings.values()]).toEqual([]);
});
