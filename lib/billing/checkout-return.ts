import { timingSafeEqual } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { checkoutAttempts, plans } from "@/db/schema";
import { createSession } from "@/lib/auth/create-session";
import { createMagicLink } from "@/lib/auth/magic-link";
import { env } from "@/lib/env";
import { welcomeEmail } from "@/lib/mail/templates/welcome";
import { sendMail } from "@/lib/mail/transport";
import { findOrCreateUserByEmail, linkCustomer } from "./customers";
import { hashNonce } from "./checkout";
import { stripe } from "./stripe-client";
import { idOf } from "./stripe-shapes";
import { syncSubscription } from "./sync-subscription";

export type CheckoutReturn =
  | { kind: "unknown" }
  | { kind: "processing"; sessionId: string }
  | { kind: "done"; returnPath: string; session: Awaited<ReturnType<typeof createSession>> | null };

/**
 * The reader is back from Checkout. Syncs from Stripe itself (the webhook may come later), links
 * the customer to the account, and signs in this browser only if it holds the nonce set when
 * this checkout started: the session id in the URL alone never signs anyone in.
 */
export async function completeCheckoutReturn(
  db: Db,
  input: { sessionId: string; nonce: string | null; currentUserId: string | null },
): Promise<CheckoutReturn> {
  const [attempt] = await db.select().from(checkoutAttempts).where(eq(checkoutAttempts.stripeSessionId, input.sessionId));
  if (!attempt) return { kind: "unknown" };
  const session = await stripe().checkout.sessions.retrieve(input.sessionId);
  const subscriptionId = idOf(session.subscription);
  const customerId = idOf(session.customer);
  if (session.status !== "complete" || !subscriptionId || !customerId) return { kind: "processing", sessionId: input.sessionId };

  const email = session.customer_details?.email ?? session.customer_email ?? null;
  const userId = attempt.userId ?? (email ? await findOrCreateUserByEmail(db, email) : null);
  if (!userId) return { kind: "processing", sessionId: input.sessionId };
  await linkCustomer(db, customerId, userId);
  const subscription = await db.transaction((tx) => syncSubscription(tx as unknown as Db, subscriptionId, session.created));
  if (subscription.status === "incomplete") return { kind: "processing", sessionId: input.sessionId };

  const mayBind = input.currentUserId !== userId && attempt.userId === null && nonceMatches(input.nonce, attempt.nonceHash);
  if (!mayBind) return { kind: "done", returnPath: attempt.returnPath, session: null };
  // One browser, once: the nonce is spent in the same statement that checks it is unspent.
  const spent = await db
    .update(checkoutAttempts)
    .set({ consumedAt: new Date() })
    .where(and(eq(checkoutAttempts.stripeSessionId, input.sessionId), isNull(checkoutAttempts.consumedAt)))
    .returning();
  if (spent.length === 0) return { kind: "done", returnPath: attempt.returnPath, session: null };
  const browserSession = await createSession(db, userId);
  if (email) await sendWelcome(db, email, attempt.planId);
  return { kind: "done", returnPath: attempt.returnPath, session: browserSession };
}

function nonceMatches(nonce: string | null, expectedHash: string): boolean {
  if (!nonce || nonce.length > 200) return false;
  const given = Buffer.from(hashNonce(nonce), "hex");
  const expected = Buffer.from(expectedHash, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function sendWelcome(db: Db, email: string, planId: number | null): Promise<void> {
  try {
    const [plan] = planId ? await db.select({ name: plans.name }).from(plans).where(eq(plans.id, planId)) : [];
    const signInUrl = await createMagicLink(db, email, "/", 7 * 24 * 3600);
    await sendMail(welcomeEmail({ to: email, siteName: env().SITE_NAME, planName: plan?.name ?? "subscription", signInUrl }));
  } catch (error) {
    // The subscription stands without the email; the reader can sign in by email any time.
    console.error("Sending the welcome email failed:", error);
  }
}
