import "server-only";
import { timingSafeEqual } from "node:crypto";
import { and, eq, isNull, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { checkoutAttempts, plans, subscriptions, users } from "@/db/schema";
import { maskEmail } from "@/lib/auth/email-address";
import { createSession } from "@/lib/auth/create-session";
import { createMagicLink } from "@/lib/auth/magic-link";
import { env } from "@/lib/env";
import { welcomeEmail } from "@/lib/mail/templates/welcome";
import { sendMail } from "@/lib/mail/transport";
import { hashNonce } from "./checkout";
import { subscriptionEntitlement } from "@/lib/access/entitlement";
import { claimCheckoutMail, fetchCheckoutSession, settleCheckoutSession, type CheckoutAttempt } from "./settle-checkout";

export type CheckoutReturn =
  | { kind: "unknown" }
  | { kind: "processing"; sessionId: string }
  | { kind: "done"; ownerUserId: string; returnPath: string; session: Awaited<ReturnType<typeof createSession>> | null }
  /** Paid for an account that existed before: its owner was sent a sign-in link; this browser stays signed out. */
  | { kind: "link-sent"; ownerUserId: string; returnPath: string; maskedEmail: string; alreadySubscribed: boolean };

/**
 * The reader is back from Checkout. Syncs from Stripe itself (the webhook may come later) and
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
  const owner = applied.ownerUserId;
  if (!owner || !applied.subscription || applied.subscription.status === "incomplete") return { kind: "processing", sessionId: input.sessionId };

  const done = { kind: "done", ownerUserId: owner, returnPath: attempt.returnPath, session: null } as const;
  // Started signed in, already this account here, or not the browser that started it: nothing to bind.
  if (attempt.userId !== null || input.currentUserId === owner || !nonceMatches(input.nonce, attempt.nonceHash)) return done;
  if (!applied.createdByThisCheckout) return linkSentToOwner(db, attempt, owner, applied.subscription.stripeSubscriptionId);

  // One browser, once: the nonce is spent in the same statement that checks it is unspent.
  const spent = await db
    .update(checkoutAttempts)
    .set({ consumedAt: new Date() })
    .where(and(eq(checkoutAttempts.stripeSessionId, input.sessionId), isNull(checkoutAttempts.consumedAt)))
    .returning();
  if (spent.length === 0) return done;
  const browserSession = await createSession(db, owner);
  await mailOwnerOnce(db, attempt, owner, "signed-in-here");
  return { ...done, session: browserSession };
}

/** The address had an account: it gets the subscription and a sign-in link, the paying browser gets told so. */
async function linkSentToOwner(db: Db, attempt: CheckoutAttempt, owner: string, subscriptionId: string): Promise<CheckoutReturn> {
  const email = await mailOwnerOnce(db, attempt, owner, "sign-in-link");
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

/**
 * The checkout's one email, to the account's own address (never to one typed at Checkout):
 * a welcome for the browser that was signed in, or a sign-in link for an account that existed.
 * Returns the address. A failure to send is logged: the subscription stands without it.
 */
async function mailOwnerOnce(db: Db, attempt: CheckoutAttempt, owner: string, kind: "signed-in-here" | "sign-in-link"): Promise<string | null> {
  const [account] = await db.select({ email: users.email }).from(users).where(eq(users.id, owner));
  const email = account?.email ?? null;
  if (!email || !(await claimCheckoutMail(db, attempt.stripeSessionId))) return email;
  try {
    const [plan] = attempt.planId ? await db.select({ name: plans.name }).from(plans).where(eq(plans.id, attempt.planId)) : [];
    const signInUrl = await createMagicLink(db, email, attempt.returnPath, 7 * 24 * 3600);
    await sendMail(welcomeEmail({ to: email, siteName: env().SITE_NAME, planName: plan?.name ?? "subscription", signInUrl, signedInHere: kind === "signed-in-here" }));
  } catch (error) {
    console.error("Sending the checkout email failed:", error);
  }
  return email;
}
