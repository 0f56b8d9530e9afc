import "server-only";
import { NextResponse } from "next/server";
import type { AccessReason } from "@/lib/access/decide-access";
import { env } from "@/lib/env";
import { encodeGiftCookie, GIFT_COOKIE, giftCookieOptions } from "./gift-cookie";
import { giftBanner, giftForm, USED_UP_LINE } from "./gift-html";
import type { GiftOutcome, GiftRequest } from "./gift-reading";

/**
 * The gate's answer to an opened gift link, when it has one: the token leaves the address bar (and
 * with it the Referer and screenshots) by a redirect to the clean address. A live link's redirect
 * carries this article's gift cookie, and the browser is counted when it comes back with it; a
 * fetcher that keeps no cookies (most link previews) never is. An entitled reader's link just
 * loses the token. A revoked or unknown link is answered in place by the normal decision.
 */
export function giftRedirect(request: GiftRequest | null, gift: GiftOutcome | null, reason: AccessReason, slug: string): NextResponse | null {
  if (!request?.linkOpened) return null;
  const cookie = gift?.setCookie ?? null;
  if (!cookie && reason !== "entitled" && reason !== "gift-subscription") return null;
  const response = new NextResponse(null, {
    status: 303,
    // Absolute: the proxy cannot answer with a relative Location.
    headers: { location: new URL(`/articles/${slug}`, env().SITE_URL).toString(), "cache-control": "private, no-store", vary: "Cookie" },
  });
  if (cookie) response.cookies.set(GIFT_COOKIE, encodeGiftCookie(cookie), giftCookieOptions(slug));
  return response;
}

/** What the page says about gifts, before the usual slot (paywall card or meter note). */
export function giftSlot(reason: AccessReason, gift: GiftOutcome | null, slug: string): string {
  if (reason === "gift") return giftBanner(gift?.check?.senderName ?? null, `/articles/${slug}`);
  if (reason === "entitled") return giftForm(slug);
  return gift?.check?.usedUp ? USED_UP_LINE : "";
}

/** Drops the gift cookie once it has done its work (the reader is entitled now). */
export function applyGiftCookie(response: NextResponse, gift: GiftOutcome | null, slug: string): void {
  if (gift?.clearCookie) response.cookies.set(GIFT_COOKIE, "", { ...giftCookieOptions(slug), maxAge: 0 });
}
