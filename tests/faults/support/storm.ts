// Webhook storms made the way Stripe makes them: real checkouts and subscription changes in the
// emulator, each a signed event delivered through nginx, with some deliveries duplicated, held
// back or swapped by the emulator's switches; then the checks that the app agrees with Stripe.
import { inArray, like, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { invoices, stripeCustomers, stripeEvents, subscriptions, users } from "@/db/schema";
import type { FaultCluster } from "./fault-cluster";

export interface StormSubscription {
  id: string;
  itemId: string;
  price: string;
  cancelAtPeriodEnd: boolean;
}

/** Subscriptions bought through the emulator's hosted checkout, each by a new customer. */
export async function buySubscriptions(fc: FaultCluster, count: number, tag: string): Promise<{ subs: StormSubscription[]; prices: string[] }> {
  const prices = (await fc.api.prices.list({ active: true, limit: 100 })).data.filter((p) => p.recurring).map((p) => p.id);
  if (prices.length < 2) throw new Error(`the app pushed ${prices.length} recurring prices; the storm switches between two`);
  const subs: StormSubscription[] = [];
  await inParallel(count, 4, async (i) => {
    const email = `storm-${tag}-${i}@faults.test`;
    const session = await fc.api.checkout.sessions.create({
      mode: "subscription",
      line_items: [{ price: prices[i % 2]!, quantity: 1 }],
      customer_email: email,
      success_url: `${fc.cluster.url}/`,
      cancel_url: `${fc.cluster.url}/`,
    });
    const page = await (await fetch(session.url!)).text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
    if (!action) throw new Error("no form on the emulator's checkout page");
    const paid = await fetch(new URL(action, session.url!), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email, card_number: "4242424242424242" }),
      redirect: "manual",
    });
    if (paid.status !== 303) throw new Error(`checkout for ${email} answered ${paid.status}`);
    const done = await fc.api.checkout.sessions.retrieve(session.id, { expand: ["subscription"] });
    const sub = done.subscription as Stripe.Subscription;
    subs.push({ id: sub.id, itemId: sub.items.data[0]!.id, price: sub.items.data[0]!.price.id, cancelAtPeriodEnd: sub.cancel_at_period_end });
  });
  return { subs, prices };
}

type Switch = { mode: "duplicate" | "out_of_order" } | { mode: "delay"; delay_ms: number };

/**
 * `changes` subscription changes (cancel at period end on/off, a price switch, a metadata edit),
 * one event each (a switch to the other interval also bills at once: its invoice's events), from 4 writers at once; about a quarter of the events get a delivery switch
 * (duplicated, held back up to 2 s, or swapped with the next). Ends by cancelling every tenth.
 */
export async function storm(fc: FaultCluster, subs: StormSubscription[], prices: string[], changes: number): Promise<void> {
  let n = 0;
  await inParallel(changes, 4, async () => {
    const i = n++;
    const sub = subs[i % subs.length]!;
    const roll = Math.random();
    const armed: Switch | null =
      roll < 0.08 ? { mode: "duplicate" } : roll < 0.16 ? { mode: "out_of_order" } : roll < 0.24 ? { mode: "delay", delay_ms: 100 + Math.floor(Math.random() * 1_900) } : null;
    if (armed) await control(fc, "webhooks/next", armed);
    // Each change really changes something, so that each makes an event.
    const what = i % 3;
    const updated =
      what === 0
        ? await fc.api.subscriptions.update(sub.id, { cancel_at_period_end: !sub.cancelAtPeriodEnd })
        : what === 1
          ? await fc.api.subscriptions.update(sub.id, { items: [{ id: sub.itemId, price: prices.find((p) => p !== sub.price)! }], proration_behavior: "none" })
          : await fc.api.subscriptions.update(sub.id, { metadata: { storm: String(i) } });
    sub.cancelAtPeriodEnd = updated.cancel_at_period_end;
    sub.price = updated.items.data[0]!.price.id;
  });
  for (const sub of subs.filter((_, i) => i % 10 === 0)) await fc.api.subscriptions.cancel(sub.id);
}

async function control(fc: FaultCluster, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${fc.cluster.emulator.url}/_emulator/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`emulator control ${path}: ${response.status}`);
}

/** Every item of a Stripe list (autoPagingToArray stops at 10,000). */
export async function listAll<T>(list: { autoPagingEach(each: (item: T) => void): Promise<void> }): Promise<T[]> {
  const items: T[] = [];
  await list.autoPagingEach((item) => void items.push(item));
  return items;
}

export async function inParallel(count: number, workers: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** Waits until the emulator has no delivery pending (every event answered 2xx or given up). */
export async function settle(fc: FaultCluster, timeoutMs: number): Promise<void> {
  await Promise.race([
    fc.cluster.emulator.webhooksIdle(),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`webhooks still pending after ${timeoutMs / 1000} s`)), timeoutMs)),
  ]);
}

export interface BillingCheck {
  events: number;
  /** Problems found; empty when the app agrees with Stripe. */
  problems: string[];
}

/**
 * The app's copy against Stripe's: every event stored once and settled (none failed or waiting),
 * every subscription and invoice as Stripe has it now, one account and one customer link per buyer.
 */
export async function compareWithStripe(fc: FaultCluster, tag: string, buyers: number): Promise<BillingCheck> {
  const problems: string[] = [];
  const stripeEventIds = new Set((await listAll(fc.api.events.list({ limit: 100 }))).map((e) => e.id));
  const stored = await fc.db.select({ id: stripeEvents.id, state: stripeEvents.state, type: stripeEvents.type }).from(stripeEvents);
  const storedIds = new Set(stored.map((e) => e.id));
  const missing = [...stripeEventIds].filter((id) => !storedIds.has(id));
  if (missing.length) problems.push(`${missing.length} events never stored, e.g. ${missing.slice(0, 3).join(", ")}`);
  const stuck = stored.filter((e) => e.state === "failed" || e.state === "waiting_for_customer");
  if (stuck.length) problems.push(`${stuck.length} stuck events: ${stuck.slice(0, 3).map((e) => `${e.id} ${e.type} ${e.state}`).join("; ")}`);

  const stripeSubs = await listAll(fc.api.subscriptions.list({ limit: 100, status: "all" }));
  const ours = new Map(
    (await fc.db.select().from(subscriptions).where(inArray(subscriptions.stripeSubscriptionId, stripeSubs.map((s) => s.id)))).map((row) => [row.stripeSubscriptionId, row]),
  );
  const seconds = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null);
  for (const s of stripeSubs) {
    const row = ours.get(s.id);
    const item = s.items.data[0]!;
    const want = { status: s.status, price: item.price.id, cancelAtPeriodEnd: s.cancel_at_period_end, periodEnd: item.current_period_end, canceledAt: s.canceled_at ?? null };
    const got = row && { status: row.status, price: row.stripePriceId, cancelAtPeriodEnd: row.cancelAtPeriodEnd, periodEnd: seconds(row.currentPeriodEnd), canceledAt: seconds(row.canceledAt) };
    if (JSON.stringify(want) !== JSON.stringify(got)) problems.push(`${s.id}: Stripe ${JSON.stringify(want)}, ours ${JSON.stringify(got ?? null)}`);
    else if (!row?.userId) problems.push(`${s.id}: no owner`);
  }

  const stripeInvoices = await listAll(fc.api.invoices.list({ limit: 100 }));
  const ourInvoices = new Map((await fc.db.select({ id: invoices.stripeInvoiceId, status: invoices.status }).from(invoices)).map((r) => [r.id, r.status]));
  const wrongInvoices = stripeInvoices.filter((inv) => ourInvoices.get(inv.id!) !== inv.status);
  if (wrongInvoices.length) problems.push(`${wrongInvoices.length} invoices differ, e.g. ${wrongInvoices[0]!.id}`);

  // Each buyer's checkout and its events, on two servers at once, made one account and one link.
  const [{ accounts } = { accounts: 0 }] = await fc.db.select({ accounts: sql<number>`count(*)::int` }).from(users).where(like(users.email, `storm-${tag}-%`));
  if (accounts !== buyers) problems.push(`${accounts} accounts for ${buyers} buyers`);
  const [{ links } = { links: 0 }] = await fc.db
    .select({ links: sql<number>`count(*)::int` })
    .from(stripeCustomers)
    .innerJoin(users, sql`${users.id} = ${stripeCustomers.userId}`)
    .where(like(users.email, `storm-${tag}-%`));
  if (links !== buyers) problems.push(`${links} customer links for ${buyers} buyers`);
  return { events: stripeEventIds.size, problems };
}
