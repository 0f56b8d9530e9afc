import "server-only";
import { timingSafeEqual } from "node:crypto";
import { and, eq, isNull, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { checkoutAttempts, subscriptions, users } from "@/db/schema";
import { maskEmail } from "@/lib/auth/email-address";
import { createSession } from "@/lib/auth/create-session";
import { env } from "@/lib/env";
import { hashNonce } from "./checkout";
import { subscriptionEntitlement } from "@/lib/access/entitlement";
import { deliverBillingMailsSoon } from "./billing-mail-delivery";
import { recordCheckoutMail } from "./checkout-mail";
import { fetchCheckoutSession, settleCheckoutSession, type CheckoutAttempt } from "./settle-checkout";

export type CheckoutReturn =
  | { kind: "unknown" }
  | { kind: "processing"; sessionId: string }
  | { kind: "done"; ownerUserId: string; returnPath: string; session: Awaited<ReturnType<typeof createSession>> | null }
  /** Paid for an account that existed before: its owner was sent a sign-in link; this browser stays signed out. */
  | { kind: "link-sent"; ownerUserId: string; returnPath: string; maskedEmail: string; alreadySubscribed: boolean };

/**
 * The reader is back from Checkout. Pulls from Stripe itself (the webhook may come later) and
 * signs in this browser only when it holds the nonce set when this checkout started AND the
 * checkout created the account: the session id in the URL, or an email typed at Checkout,
 * never signs anyone into an account that existed before.
 */
export async function completeCheckoutReturn(
  db: Db,
  input: { sessionId: string; nonce: string | null; currentUserId: string | null },
): Promise<CheckoutReturn> {
  const [attempt] = await db.select().from(checkoutAttempts).where(eq(checkoutAttempts.stripeSessionId, input.sessionId));
  if (!attempt) return { kind: "unknown" };
  const session = await fetchCheckoutSession(input.sessionId);
  if (!session.complete || !session.subscriptionId || !session.customerId) return { kind: "processing", sessionId: input.sessionId };
  const applied = await db.transaction((tx) => settleCheckoutSession(tx, session, session.stripeCreated));
  if (applied.mails > 0) deliverBillingMailsSoon(db);
  const owner = applied.ownerUserId;
  if (!owner || !applied.subscription || applied.subscription.status === "incomplete") return { kind: "processing", sessionId: input.sessionId };

  const done = { kind: "done", ownerUserId: owner, returnPath: attempt.returnPath, session: null } as const;
  // Started signed in, already this account here, or not the browser that started it: nothing to bind.
  if (attempt.userId !== null || input.currentUserId === owner || !nonceMatches(input.nonce, attempt.nonceHash)) return done;
  if (!applied.createdByThisCheckout) return linkSentToOwner(db, attempt, owner, applied.subscription.stripeSubscriptionId);

  // One browser, once: the nonce is spent in the same statement that checks it is unspent, with
  // the welcome recorded in the outbox in the same transaction.
  const welcomed = await db.transaction(async (tx) => {
    const spent = await tx
      .update(checkoutAttempts)
      .set({ consumedAt: new Date() })
      .where(and(eq(checkoutAttempts.stripeSessionId, input.sessionId), isNull(checkoutAttempts.consumedAt)))
      .returning();
    return spent.length === 0 ? null : { mailed: await recordCheckoutMail(tx, attempt, owner, "signed-in-here") };
  });
  if (!welcomed) return done;
  if (welcomed.mailed) deliverBillingMailsSoon(db);
  return { ...done, session: await createSession(db, owner) };
}

/**
 * The address had an account: it gets the subscription, and a sign-in link at its own address
 * (recorded when the checkout was settled, by this page or the webhook); the paying browser is told so.
 */
async function linkSentToOwner(db: Db, attempt: CheckoutAttempt, owner: string, subscriptionId: string): Promise<CheckoutReturn> {
  const [account] = await db.select({ email: users.email }).from(users).where(eq(users.id, owner));
  const email = account?.email ?? null;
  const others = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, owner), ne(subscriptions.stripeSubscriptionId, subscriptionId)));
  const now = new Date();
  const alreadySubscribed = others.some((s) => subscriptionEntitlement(s, now, env().BILLING_GRACE_DAYS) !== null);
  return { kind: "link-sent", ownerUserId: owner, returnPath: attempt.returnPath, maskedEmail: maskEmail(email ?? ""), alreadySubscribed };
}

function nonceMatches(nonce: string | null, expectedHash: string): boolean {
  if (!nonce || nonce.length > 200) return false;
  const given = Buffer.from(hashNonce(nonce), "hex");
  const expected = Buffer.from(expectedHash, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
