import { z } from "zod";
import { sourceClass } from "@/db/schema";
import { utmSchema, type Arrival } from "./source";

/**
 * A reader's attribution touch: the last article they read and the source that brought them,
 * carried in a cookie we sign (attribution-cookie.ts), so a conversion credits what the server
 * saw, never what a form says. Short keys: it rides on every article request.
 */
/** How many articles' paywalls a touch remembers (the oldest forgotten first). */
export const PAYWALLS_KEPT = 50;
/** How many experiment variants a touch remembers (one per live experiment; the oldest forgotten first). */
export const VARIANTS_KEPT = 20;

export const touchSchema = z.object({
  // The article last read, where the paywall card, the offer card or the newsletter box was met.
  a: z.number().int().positive().nullable(),
  s: z.enum(sourceClass.enumValues),
  h: z.string().max(253).nullable(),
  u: utmSchema,
  // When the source was set (seconds): a source older than the window is forgotten.
  t: z.number().int().nonnegative(),
  // The articles whose paywall this browser has seen in the window (newest last), so each is counted once per reader.
  p: z.array(z.number().int().positive()).max(PAYWALLS_KEPT).default([]),
  // The experiment variants this browser has been shown in the window (newest last): each reader
  // is counted once per variant, and a conversion is credited to them.
  v: z.array(z.number().int().positive()).max(VARIANTS_KEPT).default([]),
});
export type Touch = z.infer<typeof touchSchema>;

/** How long a source is credited after the arrival that set it. */
export const TOUCH_WINDOW_DAYS = 30;

/**
 * The touch after reading `articleId`: a new arrival replaces the source (last non-direct click),
 * otherwise the kept one stays; a kept touch older than the window gives way to `first`. A
 * paywall seen here joins the list, and `firstPaywall` says it was this browser's first on
 * this article in the window. The same object comes back when nothing changed, so the caller
 * writes no cookie.
 */
export function nextTouch(
  kept: Touch | null,
  arrival: Arrival | null,
  first: () => Arrival,
  read: { articleId: number; paywall: boolean; variantIds?: readonly number[] },
  nowSeconds: number,
): { touch: Touch; firstPaywall: boolean; newVariants: number[] } {
  const live = kept && nowSeconds - kept.t <= TOUCH_WINDOW_DAYS * 86_400 ? kept : null;
  const seen = live?.p ?? [];
  const firstPaywall = read.paywall && !seen.includes(read.articleId);
  const p = firstPaywall ? [...seen, read.articleId].slice(-PAYWALLS_KEPT) : seen;
  const shown = live?.v ?? [];
  const newVariants = (read.variantIds ?? []).filter((id) => !shown.includes(id));
  const v = newVariants.length > 0 ? [...shown, ...newVariants].slice(-VARIANTS_KEPT) : shown;
  const result = (touch: Touch) => ({ touch, firstPaywall, newVariants });
  if (arrival) return result({ a: read.articleId, s: arrival.class, h: arrival.host, u: arrival.utm, t: nowSeconds, p, v });
  if (live) return result(live.a === read.articleId && !firstPaywall && newVariants.length === 0 ? live : { ...live, a: read.articleId, p, v });
  const f = first();
  return result({ a: read.articleId, s: f.class, h: f.host, u: f.utm, t: nowSeconds, p, v });
}
