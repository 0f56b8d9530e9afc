import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { discountRefusal } from "@/lib/billing/checkout-errors";

// The checkout route reads Stripe's refusal of an offer's discount through billing; the words are Stripe's.
const refused = (message: string, param = "discounts[0][coupon]") => new Stripe.errors.StripeInvalidRequestError({ type: "invalid_request_error", message, param });

describe("discountRefusal", () => {
  it.each([
    ["This promotion code cannot be redeemed because the associated customer has prior transactions.", "new_customers_only"],
    ["This coupon has been fully redeemed.", "exhausted"],
    ["This coupon is expired.", "ended"],
  ])("%s → %s", (message, reason) => {
    expect(discountRefusal(refused(message))).toBe(reason);
  });

  it("is null for any other error", () => {
    expect(discountRefusal(refused("No such price", "line_items[0][price]"))).toBeNull();
    expect(discountRefusal(new Error("ECONNREFUSED"))).toBeNull();
    expect(discountRefusal(new Stripe.errors.StripeAPIError({ type: "api_error", message: "fully redeemed", param: "discounts" }))).toBeNull();
  });
});
