import "server-only";
import { asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { plans, type Plan } from "@/db/schema";
import { ttlCache } from "@/lib/cache/ttl-cache";
import { formatMoney } from "./money";

/** A plan as the reader sees it on the paywall card. */
export type PlanOffer = Pick<Plan, "id" | "name" | "description" | "amount" | "currency" | "interval" | "trialDays" | "features">;

// The paywall's plans, until a plan change is announced. A reload is a new array, which also
// starts cachedPaywallCard afresh.
const cache = ttlCache<"active", PlanOffer[]>("plans", { forgetOn: { plans: true } });

export function listActivePlans(): Promise<PlanOffer[]> {
  return cache.get("active", async () => {
    const db = await getDb();
    return db
      .select({
        id: plans.id,
        name: plans.name,
        description: plans.description,
        amount: plans.amount,
        currency: plans.currency,
        interval: plans.interval,
        trialDays: plans.trialDays,
        features: plans.features,
      })
      .from(plans)
      .where(eq(plans.active, true))
      .orderBy(asc(plans.sortOrder), asc(plans.id));
  });
}

/** "$8.00 / month" in the reader's locale. */
export function formatPlanPrice(plan: Pick<Plan, "amount" | "currency" | "interval">, locale: string): string {
  return `${formatMoney(plan.amount, plan.currency, locale)} / ${plan.interval}`;
}

const locales = new Map<string, string>();

/** The reader's first acceptable locale from Accept-Language, or en-US. */
export function localeFrom(acceptLanguage: string | null): string {
  const header = (acceptLanguage ?? "").slice(0, 200);
  let locale = locales.get(header);
  if (!locale) {
    locale = parseLocale(header);
    if (locales.size > 1_000) locales.clear();
    locales.set(header, locale);
  }
  return locale;
}

function parseLocale(acceptLanguage: string): string {
  for (const part of acceptLanguage.split(",")) {
    const tag = part.split(";")[0]?.trim();
    if (!tag || tag === "*") continue;
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical && Intl.NumberFormat.supportedLocalesOf(canonical).length > 0) return canonical;
    } catch {
      // Not a language tag; try the next one.
    }
  }
  return "en-US";
}
