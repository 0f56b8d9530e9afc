import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { siteSettings } from "@/db/schema";
import type { MeterPolicy } from "@/lib/access/decide-access";
import { env } from "@/lib/env";
import { ttlCache } from "@/lib/cache/ttl-cache";

export interface ReadingSettings {
  policy: MeterPolicy;
  defaultLeadInBlocks: number;
  paywallHeading: string;
  paywallBody: string;
  /** The card's plan buttons' verb ("Choose Monthly"). */
  paywallButton: string;
  /** The plan the card puts first and marks, when the publisher set one. */
  defaultPlanId: number | null;
  /** A segment rule's registration wall: true, anonymous readers register to read; false, the card never asks; absent, the meter's gap decides. */
  registrationWall?: boolean | null;
  /** The card's plan order by id (an experiment's variant); null: the plans' own order. */
  planOrder: number[] | null;
  /** Gift links: days a subscriber's gift stays readable, browsers that may open one. */
  gift: { validDays: number; browserLimit: number };
  /** Whether Stripe Checkout takes codes readers type, and the offer the paywall card features. */
  offers: { checkoutAcceptsCodes: boolean; featuredOfferId: number | null };
}

export const GIFT_DEFAULTS = { validDays: 14, browserLimit: 25 } as const;

const DEFAULT_HEADING = "Subscribe for unlimited access";
const DEFAULT_BODY = "Independent local reporting, every day. Support it and read everything.";
export const DEFAULT_PAYWALL_BUTTON = "Choose";

// Kept off the reading path's database round trips until a settings save is announced.
const cache = ttlCache<"settings", ReadingSettings>("settings", { forgetOn: { settings: true } });

/** The publisher's settings from the database, each falling back to its env default; cached until changed. */
export function getReadingSettings(): Promise<ReadingSettings> {
  return cache.get("settings", async () => loadReadingSettings(await getDb()));
}

/** The same, read now through `db` (which may be a transaction), uncached. */
export async function loadReadingSettings(db: Db): Promise<ReadingSettings> {
  const [row] = await db.select().from(siteSettings).where(eq(siteSettings.id, 1));
  const e = env();
  return {
    policy: {
      anonymousLimit: row?.meterAnonymousLimit ?? e.METER_ANONYMOUS_LIMIT,
      registeredLimit: row?.meterRegisteredLimit ?? e.METER_REGISTERED_LIMIT,
      windowDays: row?.meterWindowDays ?? e.METER_WINDOW_DAYS,
    },
    defaultLeadInBlocks: row?.defaultLeadInBlocks ?? e.LEAD_IN_BLOCKS,
    paywallHeading: row?.paywallHeading ?? DEFAULT_HEADING,
    paywallBody: row?.paywallBody ?? DEFAULT_BODY,
    paywallButton: row?.paywallButton ?? DEFAULT_PAYWALL_BUTTON,
    defaultPlanId: row?.defaultPlanId ?? null,
    planOrder: null,
    gift: {
      validDays: row?.giftValidDays ?? GIFT_DEFAULTS.validDays,
      browserLimit: row?.giftBrowserLimit ?? GIFT_DEFAULTS.browserLimit,
    },
    offers: { checkoutAcceptsCodes: row?.checkoutAcceptsCodes ?? false, featuredOfferId: row?.featuredOfferId ?? null },
  };
}
