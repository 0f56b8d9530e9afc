/** Parameter schemas for prices, shared by /v1/prices and products' `default_price_data`. */
import { z } from "zod";
import { currencyParam, intParam, metadataParam } from "../params";

const recurringSchema = z.strictObject({
  interval: z.enum(["day", "week", "month", "year"]),
  interval_count: intParam.pipe(z.number().min(1).max(365)).optional(),
  usage_type: z.literal("licensed").optional(),
  trial_period_days: intParam.pipe(z.number().min(0).max(730)).optional(),
});

const amount = intParam.pipe(z.number().min(0).max(99_999_999));
const amountDecimal = z.string().regex(/^\d{1,12}(\.\d{1,12})?$/, { error: "Invalid decimal" });
export const taxBehavior = z.enum(["inclusive", "exclusive", "unspecified"]);

/** `default_price_data` on products and the core of `POST /v1/prices`. */
export const priceDataSchema = z.strictObject({
  currency: currencyParam,
  unit_amount: amount.optional(),
  unit_amount_decimal: amountDecimal.optional(),
  recurring: recurringSchema.optional(),
  tax_behavior: taxBehavior.optional(),
  metadata: metadataParam.optional(),
});

