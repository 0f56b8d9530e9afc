import "server-only";
import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { billingMails, checkoutAttempts, plans, users } from "@/db/schema";
import { createMagicLink } from "@/lib/auth/magic-link";
import { env } from "@/lib/env";
import { welcomeEmail } from "@/lib/mail/templates/welcome";
import { mailTransport } from "@/lib/mail/transport";
import type { CheckoutAttempt } from "./settle-checkout";

/** How long the checkout email's sign-in link works. */
const LINK_SECONDS = 7 * 24 * 3600;

/**
 * Records the checkout's one email, to the account's own address (never to one typed at
 * Checkout), in the billing mail outbox (docs/decisions/0020) under the key `checkout:<session>`:
 * whichever path comes first (the webhook, the return page) records it, the other finds the key
 * taken, and the outbox sends it once after the commit. `sign-in-link`: the account existed, so
 * the link is the only way in; `signed-in-here`: the checkout created the account and signed in
 * the paying browser. True when this call recorded it.
 */
export async function recordCheckoutMail(tx: Tx, attempt: CheckoutAttempt, ownerUserId: string, kind: "signed-in-here" | "sign-in-link"): Promise<boolean> {
  // As for all billing mail: without a mail server nothing is recorded (it would go out stale later).
  if (!mailTransport()) return false;
  const [owner] = await tx.select({ email: users.email }).from(users).where(eq(users.id, ownerUserId));
  if (!owner?.email) return false;
  const key = `checkout:${attempt.stripeSessionId}`;
  const [taken] = await tx.select({ key: billingMails.key }).from(billingMails).where(eq(billingMails.key, key));
  if (taken) return false;
  const [plan] = attempt.planId ? await tx.select({ name: plans.name }).from(plans).where(eq(plans.id, attempt.planId)) : [];
  const signInUrl = await createMagicLink(tx, owner.email, attempt.returnPath, LINK_SECONDS);
  const { SITE_NAME, SITE_URL, EU_WITHDRAWAL } = env();
  const withdrawUrl = EU_WITHDRAWAL === "off" ? null : `${SITE_URL}/account/withdraw`;
  const mail = welcomeEmail({ to: owner.email, siteName: SITE_NAME, planName: plan?.name ?? "subscription", signInUrl, signedInHere: kind === "signed-in-here", withdrawUrl });
  const recorded = await tx
    .insert(billingMails)
    .values({ key, userId: ownerUserId, content: { to: mail.to, subject: mail.subject, text: mail.text, html: mail.html } })
    .onConflictDoNothing()
    .returning({ key: billingMails.key });
  if (recorded.length === 0) return false;
  await tx.update(checkoutAttempts).set({ mailedAt: new Date() }).where(eq(checkoutAttempts.stripeSessionId, attempt.stripeSessionId));
  return true;
}
