import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, isNotNull, isNull, lte } from "drizzle-orm";
import type { Db } from "@/db/client";
import { giftSubscriptions, users } from "@/db/schema";
import { recordBillingMail } from "@/lib/billing/billing-mail-outbox";
import { deliverBillingMailsSoon } from "@/lib/billing/billing-mail-delivery";
import { env } from "@/lib/env";
import { giftDeliveryEmail } from "@/lib/mail/templates/gift-subscription";
import { dateIn } from "./pricing";

export function hashRedeemToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The page a redeem link opens; redeeming there is a POST, so a mail scanner cannot use it up. */
export function redeemUrl(token: string): string {
  const url = new URL("/gift/redeem", env().SITE_URL);
  url.searchParams.set("token", token);
  return url.toString();
}

/**
 * Mails the recipient a new one-time redeem link, in one transaction with the link's hash (the
 * old link, if any, stops working): `delivery` for a paid gift whose date has come and that was
 * not mailed yet, `resend` for one mailed and not yet redeemed. False when the gift is not in
 * that state (refunded, redeemed, unpaid, already delivered). The mail goes out through the
 * billing mail outbox after the commit.
 */
export async function mailRedeemLink(db: Db, giftId: number, kind: "delivery" | "resend", now: Date): Promise<boolean> {
  const mailed = await db.transaction(async (tx) => {
    const [gift] = await tx.select().from(giftSubscriptions).where(eq(giftSubscriptions.id, giftId)).for("update");
    if (!gift || !gift.paidAt || gift.refundedAt || gift.redeemedAt) return false;
    if (kind === "delivery" ? gift.deliveredAt !== null : gift.deliveredAt === null) return false;
    const token = randomBytes(32).toString("base64url");
    const mailing = gift.mailings + 1;
    await tx
      .update(giftSubscriptions)
      .set({ tokenHash: hashRedeemToken(token), mailings: mailing, deliveredAt: gift.deliveredAt ?? now })
      .where(eq(giftSubscriptions.id, gift.id));
    const [buyer] = gift.buyerUserId ? await tx.select({ name: users.name }).from(users).where(eq(users.id, gift.buyerUserId)) : [];
    const { SITE_NAME } = env();
    await recordBillingMail(
      tx,
      `gift_subscription_link:${gift.id}:${mailing}`,
      null,
      giftDeliveryEmail({
        siteName: SITE_NAME,
        planName: gift.planName,
        months: gift.months,
        recipientEmail: gift.recipientEmail,
        buyerName: buyer?.name?.trim() || gift.buyerEmail,
        message: gift.message,
        url: redeemUrl(token),
      }),
    );
    return true;
  });
  if (mailed) deliverBillingMailsSoon(db);
  return mailed;
}

/** Mails every paid gift whose delivery date (in the site's time zone) has come; returns how many. */
export async function deliverDueGiftSubscriptions(db: Db, now: Date): Promise<number> {
  const today = dateIn(now, env().SITE_TIME_ZONE);
  const due = await db
    .select({ id: giftSubscriptions.id })
    .from(giftSubscriptions)
    .where(and(isNotNull(giftSubscriptions.paidAt), isNull(giftSubscriptions.deliveredAt), isNull(giftSubscriptions.refundedAt), lte(giftSubscriptions.deliverOn, today)))
    .orderBy(asc(giftSubscriptions.deliverOn), asc(giftSubscriptions.id))
    .limit(200);
  let delivered = 0;
  for (const { id } of due) if (await mailRedeemLink(db, id, "delivery", now)) delivered++;
  return delivered;
}

const running = new Set<Promise<unknown>>();

/** A delivery pass in the background, after a gift's payment is confirmed: a gift for today goes out at once, not at the next sweep. */
export function deliverGiftsSoon(db: Db): void {
  const pass: Promise<unknown> = deliverDueGiftSubscriptions(db, new Date())
    .catch((error: unknown) => console.error("Gift delivery waits for the sweep:", error))
    .finally(() => running.delete(pass));
  running.add(pass);
}

/** Resolves once the background delivery passes have finished (for tests). */
export async function giftDeliveryIdle(): Promise<void> {
  while (running.size > 0) await Promise.allSettled([...running]);
}
