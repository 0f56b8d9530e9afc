import "server-only";
import { createHash, createHmac, randomBytes } from "node:crypto";
import { z } from "zod";
import { keyFor } from "@/lib/server-secret";

/** 128 bits in base64url: 22 characters. Anything else in a `gift` parameter is ignored unread. */
export const giftTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{21}[AQgw]$/);

/** A subscriber's gift token: 128 random bits. Only its hash is stored. */
export function newGiftToken(): string {
  return randomBytes(16).toString("base64url");
}

/**
 * A publisher link's token, derived from the server secret and the link's id, so the admin can copy
 * it again at any time while nothing that opens it is stored. Rotating makes a new link (a new id).
 */
export function publisherToken(giftId: number): string {
  return createHmac("sha256", keyFor("publisher-gift")).update(String(giftId)).digest().subarray(0, 16).toString("base64url");
}

/** What the database keeps of a token: its SHA-256 (the token is random, so no salt is needed). */
export function hashGiftToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

export function giftPath(slug: string, token: string): string {
  return `/articles/${slug}?gift=${token}`;
}
