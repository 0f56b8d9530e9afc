import { z } from "zod";
import { sourceClass } from "@/db/schema";
import { utmSchema, type Arrival } from "./source";

/**
 * A reader's attribution touch: the last article they read and the source that brought them,
 * carried in a cookie we sign (attribution-cookie.ts), so a conversion credits what the server
 * saw, never what a form says. Short keys: it rides on every article request.
 */
export const touchSchema = z.object({
  // The article last read, where the paywall card, the offer card or the newsletter box was met.
  a: z.number().int().positive().nullable(),
  s: z.enum(sourceClass.enumValues),
  h: z.string().max(253).nullable(),
  u: utmSchema,
  // When the source was set (seconds): a source older than the window is forgotten.
  t: z.number().int().nonnegative(),
});
export type Touch = z.infer<typeof touchSchema>;

/** How long a source is credited after the arrival that set it. */
export const TOUCH_WINDOW_DAYS = 30;

/**
 * The touch after reading `articleId`: a new arrival replaces the source (last non-direct click),
 * otherwise the kept one stays; a kept source older than the window gives way to `first`.
 * Returns the same object when nothing changed, so the caller writes no cookie.
 */
export function nextTouch(kept: Touch | null, arrival: Arrival | null, first: () => Arrival, articleId: number, nowSeconds: number): Touch {
  const live = kept && nowSeconds - kept.t <= TOUCH_WINDOW_DAYS * 86_400 ? kept : null;
  if (arrival) return { a: articleId, s: arrival.class, h: arrival.host, u: arrival.utm, t: nowSeconds };
  if (live) return live.a === articleId ? live : { ...live, a: articleId };
  const f = first();
  return { a: articleId, s: f.class, h: f.host, u: f.utm, t: nowSeconds };
}
