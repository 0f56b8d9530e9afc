/**
 * What a reader does, each through the app's own code path (the lib functions the pages, server
 * actions and route handlers call) or through Stripe's own pages (Checkout, the portal) on the
 * emulator. The year's driver picks among these; one file, so a change to a flow's signature
 * is made here once.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import { subscriptions, type SubscriptionRow } from "@/db/schema";
import type { CheckoutOffer } from "@/lib/billing/checkout";
import type { BillingApp } from "../../integration/support/billing-app";

export interface Reader {
  userId: string;
  email: string;
  /** The card the reader pays with; a failing one (0341) is replaced after the subscription ends. */
  card: string;
}

export const GOOD_CARD = "4242424242424242";
export const FAILING_CARD = "4000000000000341";

/** The reader's newest subscription that is not over, or null. */
export async function currentSubscription(app: BillingApp, reader: Reader): Promise<SubscriptionRow | null> {
  const [row] = await (await app.db())
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, reader.userId), inArray(subscriptions.status, ["trialing", "active", "past_due", "unpaid"])))
    .orderBy(desc(subscriptions.stripeCreated))
    .limit(1);
  return row ?? null;
}

export interface SubscribeChoice {
  planId: number;
  /** A code typed or followed from an offer link; refused offers are dropped, as the page would. */
  code: string | null;
  signedIn: boolean;
  /** The address typed at Checkout when signed out (any letter case). */
  typedEmail: string;
  /** Two tabs: two checkouts started at once, both paid. */
  twoTabs: boolean;
  /** The return page loaded twice. */
  replayReturn: boolean;
}

/** /subscribe or /offer/CODE → Checkout → paid on Stripe's page → back to /subscribe/return. Returns what happened. */
export async function subscribe(app: BillingApp, reader: Reader, choice: SubscribeChoice): Promise<string> {
  const db = await app.db();
  const { startCheckout } = await import("@/lib/billing/checkout");
  const { offerForCheckout } = await import("@/lib/offers/public-offer");
  const { completeCheckoutReturn } = await import("@/lib/billing/checkout-return");
  const user = choice.signedIn ? { id: reader.userId, email: reader.email } : null;
  let offer: CheckoutOffer | undefined;
  if (choice.code) {
    const check = await offerForCheckout(db, choice.code, choice.planId, user?.id ?? null);
    if (check.ok) offer = check.offer;
  }
  const tabs = choice.twoTabs ? 2 : 1;
  const starts = await Promise.all(Array.from({ length: tabs }, () => startCheckout(db, { user, planId: choice.planId, returnPath: "/", offer })));
  let outcome = "portal";
  for (const start of starts) {
    if (start.kind !== "checkout") continue;
    const paid = await app.pay(start.url, reader.card, choice.signedIn ? reader.email : choice.typedEmail);
    if (paid.status !== 303) {
      outcome = "declined";
      continue;
    }
    const sessionId = new URL(start.url).pathname.split("/").at(-1)!;
    for (let i = 0; i < (choice.replayReturn ? 2 : 1); i++) {
      await completeCheckoutReturn(db, { sessionId, nonce: start.nonce, currentUserId: user?.id ?? null });
    }
    outcome = offer ? "subscribed-with-offer" : "subscribed";
  }
  return outcome;
}

/** /account/cancel: the save screen (two tabs: opened twice at once), then keep it with the offer or cancel at period end. */
export async function cancelFlow(app: BillingApp, reader: Reader, sub: SubscriptionRow, choice: { accept: boolean; replay: boolean; twoTabs: boolean }): Promise<string> {
  const db = await app.db();
  const flow = await import("@/lib/retention/cancel-flow");
  const screens = await Promise.all(Array.from({ length: choice.twoTabs ? 2 : 1 }, () => flow.cancelScreen(db, reader.userId, sub.stripeSubscriptionId)));
  const offered = screens.some((s) => s.retention !== null);
  if (choice.accept && offered) {
    for (let i = 0; i < (choice.replay ? 2 : 1); i++) await flow.acceptRetention(db, reader.userId, sub.stripeSubscriptionId);
    return choice.replay ? "kept-replayed" : "kept";
  }
  await flow.cancelAtPeriodEnd(db, reader.userId, sub.stripeSubscriptionId, "too_expensive");
  return "cancelled";
}

/** "Resume" on /account: undoes a cancel at period end, or ends a pause now. */
export async function resume(app: BillingApp, reader: Reader, sub: SubscriptionRow): Promise<string> {
  const { resumeSubscription } = await import("@/lib/retention/cancel-flow");
  await resumeSubscription(await app.db(), reader.userId, sub.stripeSubscriptionId);
  return "resumed";
}

/** /account/billing-portal → Stripe's portal → "Switch plan" to the other plan. */
export async function switchPlan(app: BillingApp, reader: Reader, sub: SubscriptionRow): Promise<string> {
  const { createPortalUrl } = await import("@/lib/billing/portal");
  const url = await createPortalUrl(await app.db(), reader.userId, "http://ledger.test/account", sub.stripeSubscriptionId);
  const page = await (await fetch(url)).text();
  const form = new RegExp(`<form method="post" action="([^"]+)">\\s*<input type="hidden" name="action" value="switch">\\s*<input type="hidden" name="subscription" value="${sub.stripeSubscriptionId}">[\\s\\S]*?name="price" id="[^"]+" value="([^"]+)"`).exec(page);
  if (!form) return "no-switch";
  const posted = await fetch(new URL(form[1]!, url), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ action: "switch", subscription: sub.stripeSubscriptionId, price: form[2]! }),
    redirect: "manual",
  });
  // Back on /account/billing-return, which pulls the change at once.
  const { pullAfterPortalReturn } = await import("@/lib/billing/portal-return");
  await pullAfterPortalReturn(await app.db(), reader.userId);
  return posted.status === 303 ? "switched" : "switch-refused";
}
