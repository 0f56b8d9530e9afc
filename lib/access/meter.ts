import { z } from "zod";
import { sign, verify } from "@/lib/crypto/signed-value";

export const METER_COOKIE = "mh_meter";
/** More ids than any limit the admin can set; keeps the cookie far below browsers' 4 KB. */
export const MAX_METER_IDS = 100;
const DAY_SECONDS = 86_400;

/** What a reader has opened in the current window: its start (unix seconds) and article ids. */
export interface MeterState {
  windowStart: number;
  articleIds: number[];
}

const payloadSchema = z.tuple([
  z.number().int().nonnegative(),
  z.array(z.number().int().positive()).max(MAX_METER_IDS),
]);

export function encodeMeter(state: MeterState, key: Buffer): string {
  return sign(JSON.stringify([state.windowStart, state.articleIds.slice(-MAX_METER_IDS)]), key);
}

/** A verified meter, or null for a missing, malformed, tampered or foreign cookie. */
export function decodeMeter(value: string | undefined, key: Buffer): MeterState | null {
  if (!value || value.length > 2048) return null;
  const payload = verify(value, key);
  if (payload === null) return null;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(payload));
    if (!parsed.success) return null;
    const [windowStart, articleIds] = parsed.data;
    return { windowStart, articleIds: [...new Set(articleIds)] };
  } catch {
    return null;
  }
}

/** The meter in force now: a fresh window when there is none, it has ended, or it starts in the future. */
export function currentWindow(meter: MeterState | null, now: Date, windowDays: number): MeterState {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (
    !meter ||
    meter.windowStart > nowSeconds + 300 ||
    nowSeconds >= meter.windowStart + windowDays * DAY_SECONDS
  ) {
    return { windowStart: nowSeconds, articleIds: [] };
  }
  return meter;
}
