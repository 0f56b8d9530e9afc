import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { sign, verifyJson } from "@/lib/crypto/signed-value";
import { secureCookies } from "@/lib/http/cookies";
import { keyFor } from "@/lib/server-secret";

/** One cookie per gifted article, scoped to its path: other pages never carry it, so they never check it. */
export const GIFT_COOKIE = "mh_gift";
/** Long enough to attribute a registration or subscription within 30 days of the open. */
const COOKIE_DAYS = 30;

export interface GiftCookie {
  giftId: number;
  articleId: number;
  /** Random per browser; the database keeps only its hash. */
  browserId: string;
}

const payloadSchema = z.tuple([z.number().int().positive(), z.number().int().positive(), z.string().regex(/^[A-Za-z0-9_-]{22}$/)]);

export function newBrowserId(): string {
  return randomBytes(16).toString("base64url");
}

export function browserHash(browserId: string): string {
  return createHash("sha256").update(`browser:${browserId}`).digest("base64url");
}

export function encodeGiftCookie(cookie: GiftCookie): string {
  return sign(JSON.stringify([cookie.giftId, cookie.articleId, cookie.browserId]), keyFor("gift"));
}

/** The verified cookie, or null for a missing, malformed, forged or foreign one. Never throws. */
export function decodeGiftCookie(value: string | undefined): GiftCookie | null {
  if (!value || value.length > 256) return null;
  const payload = verifyJson(value, keyFor("gift"), payloadSchema);
  if (payload === null) return null;
  const [giftId, articleId, browserId] = payload;
  return { giftId, articleId, browserId };
}

export function giftCookieOptions(slug: string) {
  return { httpOnly: true, sameSite: "lax" as const, secure: secureCookies(), path: `/articles/${slug}`, maxAge: COOKIE_DAYS * 86_400 };
}
