import "server-only";
import { asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { plans, type Plan } from "@/db/schema";
import { ttlCache } from "@/lib/cache/ttl-cache";
import { billingDay } from "./billing-day";
import { formatMoney } from "./money";

/** A plan as the reader sees it on the paywall card. */
export type PlanOffer = Pick<Plan, "id" | "name" | "description" | "amount" | "currency" | "interval" | "trialDays" | "trialPerPlan" | "features">;

// The paywall's plans, until a plan change is announced. A reload is a new array, which also
// starts cachedPaywallCard afresh.
const cache = ttlCache<"active", PlanOffer[]>("plans", { forgetOn: { plans: true } });

export function listActivePlans(): Promise<PlanOffer[]> {
  return cache.get("active", async () => {
    const db = await getDb();
    const rows = await db
      .select({
        id: plans.id,
        name: plans.name,
        description: plans.description,
        amount: plans.amount,
        currency: plans.currency,
        interval: plans.interval,
        trialDays: plans.trialDays,
        trialPerPlan: plans.trialPerPlan,
        features: plans.features,
        familyAccounts: plans.familyAccounts,
      })
      .from(plans)
      .where(eq(plans.active, true))
      .orderBy(asc(plans.sortOrder), asc(plans.id));
    // A family plan says so first among its features, wherever plans are listed.
    return rows.map(({ familyAccounts, ...plan }) =>
      familyAccounts === null ? plan : { ...plan, features: [`Family: up to ${familyAccounts} accounts, yours included, each with their own login`, ...plan.features] },
    );
  });
}

/** "$8.00 / month" in the reader's locale; "$8.00 USD / month" when plans on sale differ in currency. */
export function formatPlanPrice(plan: Pick<Plan, "amount" | "currency" | "interval">, locale: string, withCode = false): string {
  return `${formatMoney(plan.amount, plan.currency, locale)}${withCode ? ` ${plan.currency.toUpperCase()}` : ""} / ${plan.interval}`;
}

/** Whether a price alone could be read as another currency: the plans on sale are in more than one. */
export function currenciesDiffer(plans: ReadonlyArray<Pick<Plan, "currency">>): boolean {
  return new Set(plans.map((p) => p.currency)).size > 1;
}

/**
 * The one line under a plan's price: when the first charge comes (after a trial, on the day it
 * ends, counted from `today`, YYYY-MM-DD) and that it renews until cancelled.
 */
export function planRenewalLine(plan: Pick<Plan, "amount" | "currency" | "interval" | "trialDays">, locale: string, today: string, withCode = false): string {
  const price = formatPlanPrice(plan, locale, withCode);
  if (plan.trialDays <= 0) return `Renews at ${price} until you cancel; cancel any time.`;
  const firstCharge = new Date(Date.parse(`${today}T00:00:00Z`) + plan.trialDays * 86_400_000);
  return `${plan.trialDays} ${plan.trialDays === 1 ? "day" : "days"} free, then ${price} from ${billingDay(firstCharge)}, renewing until you cancel; cancel any time.`;
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
