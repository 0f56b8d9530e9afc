import { asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { plans, type Plan } from "@/db/schema";
import { ttlCache } from "@/lib/process-cache";

/** A plan as the reader sees it on the paywall card. */
export type PlanOffer = Pick<Plan, "id" | "name" | "description" | "amount" | "currency" | "interval" | "trialDays" | "features">;

const cache = ttlCache<"active", PlanOffer[]>("plans", 30_000);

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

export function invalidatePlans(): void {
  cache.clear();
}

/** "$8.00 / month" in the reader's locale; amounts are in minor units. */
export function formatPlanPrice(plan: Pick<Plan, "amount" | "currency" | "interval">, locale: string): string {
  const money = new Intl.NumberFormat(locale, { style: "currency", currency: plan.currency.toUpperCase() }).format(
    plan.amount / 10 ** currencyExponent(plan.currency),
  );
  return `${money} / ${plan.interval}`;
}

function currencyExponent(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).resolvedOptions()
    .maximumFractionDigits ?? 2;
}

/** The reader's first acceptable locale from Accept-Language, or en-US. */
export function localeFrom(acceptLanguage: string | null): string {
  for (const part of (acceptLanguage ?? "").split(",")) {
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
