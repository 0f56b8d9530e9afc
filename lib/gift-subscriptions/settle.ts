import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { giftSubscriptions, type GiftSubscription } from "@/db/schema";
import { deliverBillingMailsSoon } from "@/lib/billing/billing-mail-delivery";
import { settleGiftCheckout } from "@/lib/billing/gift-payments";
import { fetchCheckoutSession } from "@/lib/billing/settle-checkout";
import { deliverGiftsSoon } from "./redeem-link";

/**
 * The return page's view: the session fetched from Stripe and settled (as the webhook does), for
 * its buyer only, and a gift for today delivered at once. Null when it is not theirs.
 */
export async function settleGiftReturn(db: Db, sessionId: string, buyerUserId: string, now: Date): Promise<GiftSubscription | null> {
  const [mine] = await db.select({ buyer: giftSubscriptions.buyerUserId }).from(giftSubscriptions).where(eq(giftSubscriptions.stripeSessionId, sessionId));
  if (!mine || mine.buyer !== buyerUserId) return null;
  const session = await fetchCheckoutSession(sessionId);
  const settled = await db.transaction((tx) => settleGiftCheckout(tx, session, now));
  if (!settled.found) return null;
  if (settled.mails > 0) deliverBillingMailsSoon(db);
  if (settled.gift.paidAt) deliverGiftsSoon(db);
  return settled.gift;
}
