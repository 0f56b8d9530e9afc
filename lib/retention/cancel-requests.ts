import "server-only";
/**
 * /cancel without signing in: the reader types an address (and, if they wish, which
 * subscription). The answer must not tell whether the address subscribes, in its words or in its
 * time, so the request does the same for every address: it is rate limited like sign-in and
 * stored as one row. Who owns what is looked up afterwards (here, in the background, and by the
 * sweep), and only an address with a subscription to cancel gets mail: one link per subscription.
 */
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "@/db/client";
import { cancelRequests, plans, subscriptions, users } from "@/db/schema";
import { signInFormSchema } from "@/lib/auth/sign-in-request";
import { billingDay } from "@/lib/billing/billing-day";
import { deliverBillingMails } from "@/lib/billing/billing-mail-delivery";
import { recordBillingMail } from "@/lib/billing/billing-mail-outbox";
import { env } from "@/lib/env";
import { hitRateLimits, rateLimitKey } from "@/lib/http/rate-limit";
import { backgroundPasses } from "@/lib/jobs/background-passes";
import { cancelLinkEmail, type CancelLinkLine } from "@/lib/mail/templates/cancellation";
import { mailTransport } from "@/lib/mail/transport";
import { CANCEL_LINK_HOURS, issueCancelLink } from "./cancel-links";
import { mayCancel } from "./recorded-cancellation";
import { withdrawRefusal } from "./withdrawals";

const HOUR = 3_600_000;

export const cancelRequestSchema = z.object({
  email: signInFormSchema.shape.email,
  subscription: z
    .string()
    .trim()
    .max(255, "That subscription number is too long.")
    .transform((v) => (v === "" ? null : v))
    .pipe(z.string().regex(/^sub_[A-Za-z0-9_]{1,200}$/, "A subscription number starts with sub_, as on your receipt. Leave it empty to cancel any of this address's subscriptions.").nullable())
    .optional()
    .transform((v) => v ?? null),
});

export type CancelRequest = z.infer<typeof cancelRequestSchema>;

/**
 * Takes a request: refused only by the rate limit (counted per typed address and per client, as
 * sign-in is, whatever the address owns). The mail is decided after the answer.
 */
export async function requestCancelLinks(db: Db, request: CancelRequest, clientAddress: string | null): Promise<{ ok: true } | { ok: false; retryAfterMinutes: number }> {
  const { SIGNIN_LIMIT_PER_EMAIL, SIGNIN_LIMIT_PER_CLIENT } = env();
  const checks = [{ key: rateLimitKey("cancel-email", request.email), limit: SIGNIN_LIMIT_PER_EMAIL }];
  if (clientAddress) checks.push({ key: rateLimitKey("cancel-client", clientAddress), limit: SIGNIN_LIMIT_PER_CLIENT });
  const limit = await hitRateLimits(db, checks, HOUR);
  if (!limit.allowed) return { ok: false, retryAfterMinutes: Math.ceil(limit.retryAfterSeconds / 60) };
  await db.insert(cancelRequests).values({ email: request.email, subscriptionRef: request.subscription });
  resolveCancelRequestsSoon(db);
  return { ok: true };
}

/** The subscriptions a request reaches: the address's cancellable ones, or only the one it named when the address has it. */
async function reachedSubscriptions(tx: Tx, email: string, named: string | null) {
  const rows = await tx
    .select({ sub: subscriptions, userId: users.id, plan: plans.name })
    .from(users)
    .innerJoin(subscriptions, eq(subscriptions.userId, users.id))
    .leftJoin(plans, eq(plans.id, subscriptions.planId))
    .where(and(eq(users.email, email), inArray(subscriptions.status, ["trialing", "active", "past_due"])));
  const open = rows.filter((r) => mayCancel(r.sub));
  const chosen = open.filter((r) => r.sub.stripeSubscriptionId === named);
  return chosen.length > 0 ? chosen : open;
}

function renewalWords(sub: { status: string; trialEnd: Date | null; currentPeriodEnd: Date | null; clockOffsetSeconds: number }): string {
  if (sub.status === "trialing" && sub.trialEnd) return `trial until ${billingDay(sub.trialEnd, sub.clockOffsetSeconds)}`;
  return sub.currentPeriodEnd ? `renews on ${billingDay(sub.currentPeriodEnd, sub.clockOffsetSeconds)}` : "renews";
}

/** Resolves one waiting request, in one transaction (taken with SKIP LOCKED); false when none waits. */
async function resolveOne(db: Db, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [request] = await tx
      .delete(cancelRequests)
      .where(inArray(cancelRequests.id, tx.select({ id: cancelRequests.id }).from(cancelRequests).orderBy(cancelRequests.id).limit(1).for("update", { skipLocked: true })))
      .returning();
    if (!request) return false;
    // Without a mail server nothing can be sent; a link decided now and sent later would be stale.
    if (!mailTransport()) return true;
    const reached = await reachedSubscriptions(tx, request.email, request.subscriptionRef);
    if (reached.length === 0) return true;
    const { SITE_URL, SITE_NAME } = env();
    const links: CancelLinkLine[] = [];
    for (const { sub, userId, plan } of reached) {
      const token = await issueCancelLink(tx, { userId, email: request.email, subscriptionId: sub.stripeSubscriptionId, now });
      // Within the 14 days after buying (EU withdrawal on), a second link withdraws instead.
      const withdraw = withdrawRefusal(sub, now) === null ? await issueCancelLink(tx, { userId, email: request.email, subscriptionId: sub.stripeSubscriptionId, now, purpose: "withdraw" }) : null;
      links.push({ plan: plan ?? "Subscription", renewal: renewalWords(sub), url: `${SITE_URL}/cancel/confirm/${token}`, withdrawUrl: withdraw ? `${SITE_URL}/cancel/withdraw/${withdraw}` : null });
    }
    const mail = cancelLinkEmail({ to: request.email, siteName: SITE_NAME, links, validHours: CANCEL_LINK_HOURS });
    await recordBillingMail(tx, `cancel_links:${request.id}`, reached[0]!.userId, mail);
    return true;
  });
}

/** Resolves every waiting request, then sends the mail they recorded. */
export async function resolveCancelRequests(db: Db, now = new Date()): Promise<number> {
  let resolved = 0;
  while (resolved < 100 && (await resolveOne(db, now))) resolved++;
  if (resolved > 0) await deliverBillingMails(db);
  return resolved;
}

const passes = backgroundPasses("Cancel requests wait for the sweep:");

/** Resolves in the background, after the page has answered. */
function resolveCancelRequestsSoon(db: Db): void {
  passes.start(() => resolveCancelRequests(db));
}

/** Resolves once the background passes have finished (for tests, which read the mail). */
export function cancelRequestsIdle(): Promise<void> {
  return passes.idle();
}
