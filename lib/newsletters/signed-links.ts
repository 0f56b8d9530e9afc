import "server-only";
import { z } from "zod";
import { sign, verifyJson } from "@/lib/crypto/signed-value";
import { touchSchema, type Touch } from "@/lib/analytics/touch";
import { env } from "@/lib/env";
import { keyFor } from "@/lib/server-secret";

/**
 * The links newsletter emails carry, each HMAC-signed under its own key (a signature made for
 * one purpose is never valid for another): confirming a sign-up (24 hours), the recipient's
 * preferences, and one-click unsubscribe from one newsletter (no expiry: RFC 8058 links must
 * keep working). Parsing never throws: a tampered, foreign or expired link is null.
 */

export const CONFIRM_HOURS = 24;

// `t`: the signing-up browser's attribution touch, carried to the confirmation (often opened elsewhere).
const confirmPayload = z.object({ e: z.string().max(254), n: z.array(z.number().int().positive()).max(50), x: z.number().int(), t: touchSchema.optional() });
const preferencesPayload = z.object({ u: z.string().min(1).max(64) });
const unsubscribePayload = z.object({ u: z.string().min(1).max(64), n: z.number().int().positive() });

export interface SignupConfirmation {
  email: string;
  newsletterIds: number[];
  expiresAt: Date;
  touch: Touch | null;
}

export function confirmationToken(email: string, newsletterIds: number[], now = new Date(), touch: Touch | null = null): string {
  const x = Math.floor(now.getTime() / 1000) + CONFIRM_HOURS * 3600;
  return sign(JSON.stringify({ e: email, n: newsletterIds, x, ...(touch ? { t: { ...touch, p: [] } } : {}) }), keyFor("newsletter-confirm"));
}

export type ConfirmationCheck = { ok: true; confirmation: SignupConfirmation } | { ok: false; reason: "invalid" | "expired" };

export function readConfirmationToken(token: string, now = new Date()): ConfirmationCheck {
  const payload = parseSigned(token, "newsletter-confirm", confirmPayload);
  if (!payload) return { ok: false, reason: "invalid" };
  if (payload.x * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, confirmation: { email: payload.e, newsletterIds: payload.n, expiresAt: new Date(payload.x * 1000), touch: payload.t ?? null } };
}

export function preferencesToken(userId: string): string {
  return sign(JSON.stringify({ u: userId }), keyFor("newsletter-preferences"));
}

export function readPreferencesToken(token: string): { userId: string } | null {
  const payload = parseSigned(token, "newsletter-preferences", preferencesPayload);
  return payload ? { userId: payload.u } : null;
}

export function unsubscribeToken(userId: string, newsletterId: number): string {
  return sign(JSON.stringify({ u: userId, n: newsletterId }), keyFor("newsletter-unsubscribe"));
}

export function readUnsubscribeToken(token: string): { userId: string; newsletterId: number } | null {
  const payload = parseSigned(token, "newsletter-unsubscribe", unsubscribePayload);
  return payload ? { userId: payload.u, newsletterId: payload.n } : null;
}

/** Absolute links on SITE_URL (never on a request's Host header). */
export const newsletterLinks = {
  confirm: (token: string) => siteLink(`/newsletters/confirm/${token}`),
  preferences: (userId: string) => siteLink(`/newsletters/preferences/${preferencesToken(userId)}`),
  unsubscribe: (userId: string, newsletterId: number) => siteLink(`/unsubscribe/${unsubscribeToken(userId, newsletterId)}`),
};

function siteLink(path: string): string {
  return new URL(path, env().SITE_URL).toString();
}

function parseSigned<T>(token: string, purpose: string, schema: z.ZodType<T>): T | null {
  if (token.length > 2_000) return null;
  return verifyJson(token, keyFor(purpose), schema);
}
