import "server-only";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import type { ArticleAccessLevel } from "@/db/schema";
import type { AccessInput } from "@/lib/access/decide-access";
import type { Reader } from "@/lib/access/reader";
import type { ReadingSettings } from "@/lib/settings";
import { cachedGiftCheck } from "./gift-cache";
import { browserHash, decodeGiftCookie, GIFT_COOKIE, newBrowserId, type GiftCookie } from "./gift-cookie";
import { giftTokenSchema, hashGiftToken } from "./gift-token";
import { findGiftLink, openGiftBrowser, type GiftCheck } from "./verify-gift";

/** What a request carries about gifts, parsed without I/O. */
export interface GiftRequest {
  /** A `gift` parameter was present, well-formed or not: the address should lose it. */
  linkOpened: boolean;
  token: string | null;
  /** This article's verified gift cookie. */
  cookie: GiftCookie | null;
  referrerHost: string | null;
}

/** The gift inputs of a request, or null when it has neither a `gift` parameter nor a gift cookie (no query then). */
export function giftRequestFrom(request: NextRequest, articleId: number): GiftRequest | null {
  const raw = request.nextUrl.searchParams.get("gift");
  const cookieValue = request.cookies.get(GIFT_COOKIE)?.value;
  if (raw === null && cookieValue === undefined) return null;
  const token = giftTokenSchema.safeParse(raw);
  const cookie = decodeGiftCookie(cookieValue);
  return {
    linkOpened: raw !== null,
    token: token.success ? token.data : null,
    cookie: cookie?.articleId === articleId ? cookie : null,
    referrerHost: hostOf(request.headers.get("referer")),
  };
}

function hostOf(referer: string | null): string | null {
  if (!referer) return null;
  try {
    return new URL(referer).hostname.slice(0, 253) || null;
  } catch {
    return null;
  }
}

/** What the gift check found, and what the response must do about the cookie. */
export interface GiftOutcome {
  check: GiftCheck | null;
  /**
   * A live link was opened: the cookie to set, carrying this browser's id (its old one when it has
   * this article's cookie). The reader is sent to the clean address with it and counted there.
   */
  setCookie: GiftCookie | null;
  /** The reader no longer needs the cookie (they are entitled now; any conversion is credited). */
  clearCookie: boolean;
}

interface GiftContext {
  reader: Reader;
  /** The decision would already be full without a gift (free article, or entitled reader). */
  fullAnyway: boolean;
  article: { id: number; access: ArticleAccessLevel };
  intent: AccessInput["intent"];
  settings: ReadingSettings["gift"];
  now: Date;
}

/**
 * The gate's gift check: at most one statement, and only for a request that carries a gift; an
 * anonymous recipient's later pages are answered from the gift cache.
 * Opening a link counts nobody: it answers with a cookie and a redirect, and a browser is counted
 * only when it comes back with that cookie, so a link preview (which keeps no cookies) never
 * spends a place. A prefetch or a known previewer (decided as `prefetch`) gets nothing at all, and
 * an entitled reader's link is not counted against the gift's browsers.
 */
export async function checkGift(request: GiftRequest | null, ctx: GiftContext): Promise<GiftOutcome | null> {
  if (!request || ctx.intent === "prefetch" || ctx.article.access === "free") return null;
  const { reader, article, now } = ctx;
  if (request.token && ctx.intent === "read" && !ctx.fullAnyway) {
    const check = await findGiftLink(await getDb(), hashGiftToken(request.token), article.id, now);
    const browserId = request.cookie?.browserId ?? newBrowserId();
    return { check, setCookie: check?.live ? { giftId: check.giftId, articleId: article.id, browserId } : null, clearCookie: false };
  }
  if (!request.cookie) return null;
  const convert =
    reader.kind !== "user"
      ? null
      : reader.entitlement === null
        ? { userId: reader.userId, kind: "registered" as const }
        : reader.entitlement.source === "subscription"
          ? { userId: reader.userId, kind: "subscribed" as const }
          : null;
  // A reader with a grant reading a gifted article: nothing to check or credit.
  if (ctx.fullAnyway && !convert) return { check: null, setCookie: null, clearCookie: true };
  const { giftId, browserId } = request.cookie;
  const count = ctx.intent === "read" && !ctx.fullAnyway;
  const load = async () =>
    openGiftBrowser(await getDb(), {
      giftId,
      articleId: article.id,
      browserHash: browserHash(browserId),
      referrerHost: request.referrerHost,
      browserLimit: ctx.settings.browserLimit,
      now,
      count,
      convert,
    });
  // A signed-in reader's request may credit a conversion, and a recheck does not count (so its
  // answer is not the one a read would get): both go to the database.
  const check = convert || !count ? await load() : await cachedGiftCheck(giftId, browserHash(browserId), article.id, load);
  return { check, setCookie: null, clearCookie: ctx.fullAnyway };
}
