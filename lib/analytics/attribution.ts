import "server-only";
import { and, eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { conversions, type ConversionEntry, type ConversionEvent } from "@/db/schema";
import type { Touch } from "./touch";

export interface ConversionInput {
  /** The reader's verified touch (attribution-cookie.ts), or null: then the conversion is direct, with no article. */
  touch: Touch | null;
  userId: string | null;
  offerCode?: string | null;
  checkoutSessionId?: string | null;
}

/** Where on the article the conversion began: the box its event lives in, or the gift link that brought the reader. */
export function entryFor(event: ConversionEvent, touch: Touch | null, offerCode: string | null): ConversionEntry | null {
  if (!touch?.a) return null;
  if (touch.s === "gift") return "gift_link";
  if (event === "newsletter_signup") return "newsletter_box";
  return offerCode ? "offer_card" : "paywall_card";
}

/** One conversion, credited to the touch's article and source. Written in the caller's transaction where it has one. */
export async function recordConversion(db: Queryable, event: ConversionEvent, input: ConversionInput, at = new Date()): Promise<void> {
  const { touch } = input;
  await db
    .insert(conversions)
    .values({
      event,
      at,
      userId: input.userId,
      articleId: touch?.a ?? null,
      entry: entryFor(event, touch, input.offerCode ?? null),
      sourceClass: touch?.s ?? "direct",
      referrerHost: touch?.h ?? null,
      utmSource: touch?.u.source ?? null,
      utmMedium: touch?.u.medium ?? null,
      utmCampaign: touch?.u.campaign ?? null,
      utmTerm: touch?.u.term ?? null,
      utmContent: touch?.u.content ?? null,
      offerCode: input.offerCode ?? null,
      checkoutSessionId: input.checkoutSessionId ?? null,
      variantIds: touch?.v ?? [],
    })
    .onConflictDoNothing();
}

/**
 * A checkout was paid: the subscription is credited to what its checkout's start was credited
 * to (stored server-side when the checkout began, keyed by Stripe's session id), once per
 * session however often the settlement runs.
 */
export async function creditSubscription(db: Queryable, checkoutSessionId: string, userId: string | null, at = new Date()): Promise<void> {
  const [started] = await db
    .select()
    .from(conversions)
    .where(and(eq(conversions.checkoutSessionId, checkoutSessionId), eq(conversions.event, "checkout_started")));
  // A checkout started before conversions were recorded has no row: its subscription is direct.
  const credit = started
    ? {
        articleId: started.articleId,
        entry: started.entry,
        sourceClass: started.sourceClass,
        referrerHost: started.referrerHost,
        utmSource: started.utmSource,
        utmMedium: started.utmMedium,
        utmCampaign: started.utmCampaign,
        utmTerm: started.utmTerm,
        utmContent: started.utmContent,
        offerCode: started.offerCode,
        variantIds: started.variantIds,
      }
    : { sourceClass: "direct" as const };
  await db.insert(conversions).values({ ...credit, event: "subscribed", at, userId, checkoutSessionId }).onConflictDoNothing();
}
