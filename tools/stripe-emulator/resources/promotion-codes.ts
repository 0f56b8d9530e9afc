/** /v1/promotion_codes: create, retrieve, update (active, metadata), list (code, coupon, active, customer). */
import type Stripe from "stripe";
import { z } from "zod";
import type { ApiHandler } from "../context";
import { invalidRequest } from "../errors";
import { emitUpdate, storeCreated } from "../events";
import { expand } from "../expand";
import { newId, randomBase62 } from "../ids";
import { applyMetadata, boolParam, currencyParam, expandParam, initialMetadata, intParam, listParams, metadataParam, nonEmptyString, parseParams, rangeParam, stringParam } from "../params";
import { render } from "../render";
import { listHandler, mustGet, pathId, retrieveHandler } from "./common";

const createSchema = z.strictObject({
  promotion: z.strictObject({ type: z.literal("coupon"), coupon: nonEmptyString }),
  code: z.string().regex(/^[A-Za-z0-9_-]{1,500}$/, { error: "Promotion codes may only contain letters, digits, hyphens and underscores" }).optional(),
  active: boolParam.optional(),
  customer: nonEmptyString.optional(),
  expires_at: intParam.optional(),
  max_redemptions: intParam.pipe(z.number().min(1)).optional(),
  restrictions: z
    .strictObject({
      first_time_transaction: boolParam.optional(),
      minimum_amount: intParam.pipe(z.number().min(1)).optional(),
      minimum_amount_currency: currencyParam.optional(),
    })
    .optional(),
  metadata: metadataParam.optional(),
  expand: expandParam,
});

const updateSchema = z.strictObject({ active: boolParam.optional(), metadata: metadataParam.optional(), expand: expandParam });

const listSchema = z.strictObject({
  ...listParams,
  active: boolParam.optional(),
  code: stringParam.optional(),
  coupon: stringParam.optional(),
  customer: stringParam.optional(),
  created: rangeParam,
});

function activeCodeTaken(promotionCodes: Record<string, Stripe.PromotionCode>, code: string): boolean {
  return Object.values(promotionCodes).some((p) => p.active && p.code.toLowerCase() === code.toLowerCase());
}

export const create: ApiHandler = (em, { params }) => {
  const p = parseParams(createSchema, params);
  const state = em.store.state;
  const coupon = mustGet(state.coupons, p.promotion.coupon, "coupon", "promotion[coupon]", 400);
  if (p.customer !== undefined) mustGet(state.customers, p.customer, "customer", "customer", 400);
  if (p.expires_at !== undefined && p.expires_at <= em.clock.now()) throw invalidRequest("expires_at must be in the future.", "expires_at");
  if (coupon.redeem_by !== null && p.expires_at !== undefined && p.expires_at > coupon.redeem_by) {
    throw invalidRequest("The promotion code's expires_at cannot be after its coupon's redeem_by.", "expires_at");
  }
  const minimum = p.restrictions?.minimum_amount;
  if ((minimum === undefined) !== (p.restrictions?.minimum_amount_currency === undefined)) {
    throw invalidRequest("minimum_amount and minimum_amount_currency go together.", "restrictions[minimum_amount_currency]");
  }
  const code = p.code ?? randomBase62(8).toUpperCase();
  const active = p.active ?? true;
  if (active && activeCodeTaken(state.promotion_codes, code)) {
    throw invalidRequest(`An active promotion code with \`code: ${code}\` already exists.`, "code", "resource_already_exists");
  }
  const promo: Stripe.PromotionCode = {
    id: newId("promotionCode"),
    object: "promotion_code",
    active,
    code,
    created: em.clock.now(),
    customer: p.customer ?? null,
    customer_account: null,
    expires_at: p.expires_at ?? null,
    livemode: false,
    max_redemptions: p.max_redemptions ?? null,
    metadata: initialMetadata(p.metadata),
    promotion: { coupon: coupon.id, type: "coupon" },
    restrictions: {
      first_time_transaction: p.restrictions?.first_time_transaction ?? false,
      minimum_amount: minimum ?? null,
      minimum_amount_currency: p.restrictions?.minimum_amount_currency ?? null,
    },
    times_redeemed: 0,
  };
  storeCreated(em, "promotion_code.created", state.promotion_codes, promo);
  return expand(em, render(em, promo), p.expand);
};

export const retrieve = retrieveHandler((state) => state.promotion_codes, "promotion_code");

export const update: ApiHandler = (em, { params, path }) => {
  const promo = mustGet(em.store.state.promotion_codes, pathId(path), "promotion_code");
  const p = parseParams(updateSchema, params);
  if (p.active === true && !promo.active && activeCodeTaken(em.store.state.promotion_codes, promo.code)) {
    throw invalidRequest(`An active promotion code with \`code: ${promo.code}\` already exists.`, "active");
  }
  emitUpdate(em, "promotion_code.updated", promo, () => {
    if (p.active !== undefined) promo.active = p.active;
    promo.metadata = applyMetadata(promo.metadata ?? {}, p.metadata);
  });
  return expand(em, render(em, promo), p.expand);
};

export const list = listHandler(listSchema, "promotion_codes", { url: "/v1/promotion_codes", kind: "promotion_code" }, {
  equal: ["active", "customer"],
  keep: (promo, p) => (p.code === undefined || promo.code.toLowerCase() === p.code.toLowerCase()) && (p.coupon === undefined || promo.promotion.coupon === p.coupon),
});
