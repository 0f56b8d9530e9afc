import "server-only";
import { eq } from "drizzle-orm";
import type { Db, Queryable } from "@/db/client";
import { giftSubscriptions, grants, subscriptions, type GiftSubscription, type User } from "@/db/schema";
import { subscriptionEntitlement } from "@/lib/access/entitlement";
import { onOurClock, subscriptionFactColumns } from "@/lib/access/subscription-facts";
import { recordBillingMail } from "@/lib/billing/billing-mail-outbox";
import { deliverBillingMailsSoon } from "@/lib/billing/billing-mail-delivery";
import { announceChange } from "@/lib/cache/invalidation";
import { env } from "@/lib/env";
import { giftRedeemedEmail } from "@/lib/mail/templates/gift-subscription";
import type { GiftStartChoice } from "./fields";
import { addMonths, monthsText } from "./pricing";
import { hashRedeemToken } from "./redeem-link";

export type RedeemLinkState = "open" | "redeemed" | "refunded";

export interface RedeemLinkView {
  state: RedeemLinkState;
  recipientEmail: string;
  planName: string;
  months: number;
  redeemedBy: string | null;
}

function linkState(gift: GiftSubscription): RedeemLinkState {
  if (gift.refundedAt) return "refunded";
  return gift.redeemedAt ? "redeemed" : "open";
}

/** What a redeem link shows before it is used. Null for a token that is not the gift's current link. */
export async function findRedeemLink(db: Db, token: string): Promise<RedeemLinkView | null> {
  const [gift] = await db.select().from(giftSubscriptions).where(eq(giftSubscriptions.tokenHash, hashRedeemToken(token)));
  if (!gift) return null;
  return { state: linkState(gift), recipientEmail: gift.recipientEmail, planName: gift.planName, months: gift.months, redeemedBy: gift.redeemedBy };
}

export type RedeemOutcome = { ok: true; startsAt: Date; endsAt: Date } | { ok: false; message: string };

const REFUSALS: Record<Exclude<RedeemLinkState, "open">, string> = {
  redeemed: "This gift was already redeemed: the link works once.",
  refunded: "This gift was refunded, so it can no longer be redeemed.",
};

/**
 * When a gift's months start for this reader: now, or when the right they already have ends (a
 * subscription's paid period, grace included, or an earlier gift), so no paid day is spent twice.
 * A grant with no end does not delay it.
 */
async function giftStart(tx: Queryable, userId: string, now: Date): Promise<Date> {
  const [subs, held] = await Promise.all([
    tx.select(subscriptionFactColumns).from(subscriptions).where(eq(subscriptions.userId, userId)),
    tx.select().from(grants).where(eq(grants.userId, userId)),
  ]);
  let start = now;
  for (const sub of subs) {
    const right = subscriptionEntitlement(sub, now, env().BILLING_GRACE_DAYS);
    if (!right) continue;
    // A renewing subscription has no end: its months start after the period already paid for.
    const end = right.until ?? onOurClock(sub.currentPeriodEnd, sub.clockOffsetSeconds);
    if (end && end > start) start = end;
  }
  // Grants in start order, so gifts redeemed one after another follow each other.
  for (const grant of held.filter((g) => !g.revokedAt && g.endsAt).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())) {
    if (grant.startsAt <= start && grant.endsAt! > start) start = grant.endsAt!;
  }
  return start;
}

/**
 * When the reading this reader already has ends, if after `now` (a subscription's paid period, an
 * earlier gift): the redeem page then offers to start the months now instead. Null otherwise.
 */
export async function readingAlreadyHeldUntil(db: Db, userId: string, now: Date): Promise<Date | null> {
  const start = await giftStart(db, userId, now);
  return start > now ? start : null;
}

/**
 * Redeems a gift for the signed-in reader: only the address it was sent to, proven by a verified
 * sign-in, may use the link, once. One transaction adds the grant (backed by the gift's paid
 * checkout), marks the gift redeemed, tells every instance the reader changed, and records the
 * buyer's mail. `start`: after the reading they already have (the default), or now.
 */
export async function redeemGiftSubscription(
  db: Db,
  token: string,
  user: Pick<User, "id" | "email" | "emailVerified">,
  now: Date,
  start: GiftStartChoice = "after",
): Promise<RedeemOutcome> {
  const outcome = await db.transaction(async (tx): Promise<RedeemOutcome> => {
    const [gift] = await tx.select().from(giftSubscriptions).where(eq(giftSubscriptions.tokenHash, hashRedeemToken(token))).for("update");
    if (!gift || !gift.paidAt) return { ok: false, message: "This redeem link is not one of ours, or a newer one replaced it: open the latest email." };
    const state = linkState(gift);
    if (state !== "open") return { ok: false, message: REFUSALS[state] };
    if (!user.emailVerified || user.email?.toLowerCase() !== gift.recipientEmail) {
      return { ok: false, message: "This gift is for another address: sign in with the address it was sent to." };
    }
    const startsAt = start === "now" ? now : await giftStart(tx, user.id, now);
    const endsAt = addMonths(startsAt, gift.months);
    await tx.insert(grants).values({
      userId: user.id,
      reason: `Gift subscription #${gift.id}: ${monthsText(gift.months)} of ${gift.planName}`,
      startsAt,
      endsAt,
      giftSubscriptionId: gift.id,
    });
    await tx.update(giftSubscriptions).set({ redeemedAt: now, redeemedBy: user.id }).where(eq(giftSubscriptions.id, gift.id));
    await announceChange(tx, "readers", user.id);
    await recordBillingMail(
      tx,
      `gift_subscription_redeemed:${gift.id}`,
      gift.buyerUserId,
      giftRedeemedEmail({ to: gift.buyerEmail, siteName: env().SITE_NAME, planName: gift.planName, months: gift.months, recipientEmail: gift.recipientEmail, endsOn: endsAt.toISOString().slice(0, 10) }),
    );
    return { ok: true, startsAt, endsAt };
  });
  if (outcome.ok) deliverBillingMailsSoon(db);
  return outcome;
}
