import type { MeterPolicy } from "@/lib/access/decide-access";
import type { ReadingSettings } from "@/lib/settings";

/** A site's meter: 3 articles anonymous, 10 registered, over 30 days. */
export const meterPolicy: MeterPolicy = { anonymousLimit: 3, registeredLimit: 10, windowDays: 30 };

/** A site's reading settings around `meterPolicy`, with offer 5 featured; a test overrides what it is about. */
export const readingSettings: ReadingSettings = {
  policy: meterPolicy,
  defaultLeadInBlocks: 2,
  paywallHeading: "Subscribe",
  paywallBody: "Body",
  paywallButton: "Choose",
  defaultPlanId: null,
  planOrder: null,
  gift: { validDays: 14, browserLimit: 25 },
  offers: { checkoutAcceptsCodes: false, featuredOfferId: 5 },
};
