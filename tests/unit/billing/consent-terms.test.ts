import { describe, expect, it } from "vitest";
import { CONSENT_TERMS_VERSION, consentTerms, termsHash } from "@/lib/billing/consent-terms";

const monthly = { planName: "Monthly", amount: 800, currency: "usd", interval: "month" as const, trialDays: 0, discount: null, cancelUrl: "https://news.test/cancel" };

describe("consentTerms", () => {
  it("names the price, the period, that it renews, and how to cancel", () => {
    expect(consentTerms(monthly)).toBe(
      "Monthly: $8.00 per month, charged today and then every month until you cancel. It renews automatically. Cancel any time online, without signing in: https://news.test/cancel",
    );
  });

  it("says when a trial ends and what is charged then", () => {
    const text = consentTerms({ ...monthly, planName: "Yearly", amount: 8000, interval: "year", trialDays: 7 });
    expect(text).toContain("Yearly: $80.00 per year, charged when the free trial ends and then every year until you cancel.");
    expect(text).toContain("Free trial: 7 days. Unless you cancel before it ends, you are then charged $80.00 per year.");
  });

  it("says what a discount takes off, for how long, and the price after it", () => {
    expect(consentTerms({ ...monthly, discount: { percentOff: 50, amountOff: null, duration: "repeating", durationMonths: 3 } })).toContain("Discount: 50% off the first 3 months; after that $8.00 per month.");
    expect(consentTerms({ ...monthly, discount: { percentOff: null, amountOff: 200, duration: "once", durationMonths: null } })).toContain("Discount: $2.00 off the first payment; after that $8.00 per month.");
    expect(consentTerms({ ...monthly, discount: { percentOff: 10, amountOff: null, duration: "forever", durationMonths: null } })).toContain("Discount: 10% off every payment.");
  });

  it("fits Stripe's 1200-character custom text, and its hash is the SHA-256 of the text", () => {
    const text = consentTerms({ ...monthly, planName: "P".repeat(200), trialDays: 30, discount: { percentOff: 50, amountOff: null, duration: "repeating", durationMonths: 12 } });
    expect(text.length).toBeLessThanOrEqual(1200);
    expect(termsHash("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(CONSENT_TERMS_VERSION).toMatch(/^terms-\d{4}-\d{2}-\d{2}$/);
  });
});
