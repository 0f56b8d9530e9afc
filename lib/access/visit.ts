import { z } from "zod";
import { sign, verify } from "@/lib/crypto/signed-value";
import type { VisitFloor } from "./decide-access";

export const VISIT_COOKIE = "mh_visit";
/** A visit ends after this long without a read (the usual analytics session). */
export const VISIT_GAP_SECONDS = 30 * 60;
/** A kept visit is rewritten at most this often when nothing else changed (one HMAC fewer per read). */
const REFRESH_SECONDS = 60;

/**
 * What a browser was shown in its current visit, at its most generous: the meter's limits and the
 * default lead-in (docs/segments.md, "Never a worse deal within a visit"). Signed, so no one
 * raises their own limits; it only ever raises a limit to one this browser was really given.
 */
export interface VisitState extends VisitFloor {
  /** The last read of the visit (unix seconds). */
  lastSeen: number;
  leadInBlocks: number;
}

const limit = z.number().int().min(0).max(10_000);
const payloadSchema = z.tuple([z.number().int().nonnegative(), limit, limit, limit]);

export function encodeVisit(state: VisitState, key: Buffer): string {
  return sign(JSON.stringify([state.lastSeen, state.anonymousLimit, state.registeredLimit, state.leadInBlocks]), key);
}

/** A verified visit, or null for a missing, malformed or tampered cookie. */
export function decodeVisit(value: string | undefined, key: Buffer): VisitState | null {
  if (!value || value.length > 512) return null;
  const payload = verify(value, key);
  if (payload === null) return null;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(payload));
    if (!parsed.success) return null;
    const [lastSeen, anonymousLimit, registeredLimit, leadInBlocks] = parsed.data;
    return { lastSeen, anonymousLimit, registeredLimit, leadInBlocks };
  } catch {
    return null;
  }
}

/** The visit still running at `nowSeconds` (its last read less than the gap ago), or null: a new visit. */
export function currentVisit(state: VisitState | null, nowSeconds: number): VisitState | null {
  if (!state || state.lastSeen > nowSeconds + 300 || nowSeconds - state.lastSeen > VISIT_GAP_SECONDS) return null;
  return state;
}

/**
 * The visit after a read that showed these limits and this lead-in: each the most generous so
 * far. The same object when nothing changed and it was refreshed lately (no cookie to write).
 */
export function nextVisit(current: VisitState | null, shown: Omit<VisitState, "lastSeen">, nowSeconds: number): VisitState {
  if (
    current &&
    nowSeconds - current.lastSeen < REFRESH_SECONDS &&
    current.anonymousLimit >= shown.anonymousLimit &&
    current.registeredLimit >= shown.registeredLimit &&
    current.leadInBlocks >= shown.leadInBlocks
  ) {
    return current;
  }
  return {
    lastSeen: nowSeconds,
    anonymousLimit: Math.max(current?.anonymousLimit ?? 0, shown.anonymousLimit),
    registeredLimit: Math.max(current?.registeredLimit ?? 0, shown.registeredLimit),
    leadInBlocks: Math.max(current?.leadInBlocks ?? 0, shown.leadInBlocks),
  };
}
