import "server-only";
import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { giftSubscriptions, type GiftSubscription } from "@/db/schema";
import { refundGiftPayment } from "@/lib/billing/gift-payments";
import { mailRedeemLink } from "@/lib/gift-subscriptions/redeem-link";
import { recordAudit } from "../audit/record";
import type { AdminActor } from "../shared/action";

export type GiftStatus = "awaiting payment" | "scheduled" | "delivered" | "redeemed" | "refunded" | "refund pending";

export function giftStatus(gift: GiftSubscription): GiftStatus {
  if (gift.refundedAt) return gift.stripeRefundId ? "refunded" : "refund pending";
  if (gift.redeemedAt) return "redeemed";
  if (!gift.paidAt) return "awaiting payment";
  return gift.deliveredAt ? "delivered" : "scheduled";
}

/** The admin's list: every gift bought (newest first) with its status, and the totals sold, redeemed and pending. */
export async function listGiftSubscriptions(db: Db, limit = 200) {
  const rows = await db.select().from(giftSubscriptions).orderBy(desc(giftSubscriptions.id)).limit(limit);
  const list = rows.map((g) => ({ ...g, status: giftStatus(g) }));
  const sold = list.filter((g) => g.paidAt && !(g.refundedAt && g.stripeRefundId));
  return {
    gifts: list,
    totals: {
      sold: sold.length,
      redeemed: list.filter((g) => g.status === "redeemed").length,
      pending: list.filter((g) => g.status === "scheduled" || g.status === "delivered").length,
    },
  };
}

export type GiftCommand = { ok: true; message: string } | { ok: false; message: string };

/** Mails the recipient a new redeem link (the old one stops working). */
export async function resendGift(db: Db, admin: AdminActor, giftId: number, now: Date): Promise<GiftCommand> {
  const sent = await mailRedeemLink(db, giftId, "resend", now);
  if (!sent) return { ok: false, message: "Only a delivered gift that is not redeemed or refunded can be sent again." };
  await db.transaction((tx) => recordAudit(tx, { actor: admin, action: "gift_subscription.resend", targetType: "gift_subscription", targetId: giftId, before: null, after: null }));
  return { ok: true, message: "Sent again: the new link works once; the old one no longer does." };
}

/**
 * Refunds a gift that was not redeemed. The gift is revoked first (its link says so, and a
 * redeem racing this waits on the row and is refused), then Stripe refunds the payment (one
 * idempotency key per gift, so asking again never refunds twice). If Stripe fails, the gift stays
 * revoked and shows "refund pending" until the admin asks again: the recipient gets less, never more.
 */
export async function refundGift(db: Db, admin: AdminActor, giftId: number, now: Date): Promise<GiftCommand> {
  const revoked = await db.transaction(async (tx): Promise<GiftCommand & { intent?: string }> => {
    const [gift] = await tx.select().from(giftSubscriptions).where(eq(giftSubscriptions.id, giftId)).for("update");
    if (!gift) return { ok: false, message: "No such gift subscription." };
    if (!gift.paidAt || !gift.stripePaymentIntentId) return { ok: false, message: "This gift was not paid: there is nothing to refund." };
    if (gift.redeemedAt) return { ok: false, message: "This gift was redeemed: end its grant from the reader's page instead." };
    if (gift.stripeRefundId) return { ok: false, message: "This gift was refunded already." };
    if (!gift.refundedAt) {
      await tx.update(giftSubscriptions).set({ refundedAt: now }).where(eq(giftSubscriptions.id, gift.id));
      await recordAudit(tx, { actor: admin, action: "gift_subscription.refund", targetType: "gift_subscription", targetId: gift.id, before: { status: giftStatus(gift) }, after: { status: "refund pending" } });
    }
    return { ok: true, message: "", intent: gift.stripePaymentIntentId };
  });
  if (!revoked.ok) return revoked;
  try {
    const refundId = await refundGiftPayment(revoked.intent!, giftId);
    await db.update(giftSubscriptions).set({ stripeRefundId: refundId }).where(eq(giftSubscriptions.id, giftId));
  } catch (error) {
    console.error(`Stripe did not refund gift subscription #${giftId}:`, error);
    return { ok: false, message: "The gift is revoked (its link no longer works), but Stripe did not confirm the refund: press Refund again." };
  }
  return { ok: true, message: "Refunded: the payment is returned and the redeem link no longer works." };
}
