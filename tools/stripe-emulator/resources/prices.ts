/**
 * /v1/prices: create, retrieve, update, list. A price is immutable apart from `active`,
 * `metadata`, `nickname`, `lookup_key` (and `tax_behavior` while unspecified); other update
 * parameters are rejected like Stripe does ("Received unknown parameter").
 */
import type Stripe from "stripe";
import { z } from "zod";
import type { ApiHandler, Emulator } from "../context";
import { invalidRequest } from "../errors";
import { changedAttributes, emit, emitUpdate, storeCreated } from "../events";
import { expand } from "../expand";
import { newId } from "../ids";
import { applyGiven, applyMetadata, boolParam, currencyParam, emptyable, expandParam, initialMetadata, listParams, metadataParam, nonEmptyString, parseParams, rangeParam, stringParam } from "../params";
import { decimal, render } from "../render";
import { listHandler, mustGet, pathId, retrieveHandler } from "./common";
import { createProduct } from "./products";
import { priceDataSchema, taxBehavior } from "./price-params";

const createSchema = z.strictObject({
  ...priceDataSchema.shape,
  product: nonEmptyString.optional(),
  product_data: z
    .strictObject({
      name: nonEmptyString.max(250),
      active: boolParam.optional(),
      metadata: metadataParam.optional(),
      statement_descriptor: stringParam.optional(),
      tax_code: stringParam.optional(),
      unit_label: stringParam.optional(),
    })
    .optional(),
  active: boolParam.optional(),
  nickname: stringParam.optional(),
  lookup_key: stringParam.max(200).optional(),
  transfer_lookup_key: boolParam.optional(),
  billing_scheme: z.literal("per_unit").optional(),
  expand: expandParam,
});

const updateSchema = z.strictObject({
  active: boolParam.optional(),
  metadata: metadataParam.optional(),
  nickname: emptyable(stringParam).optional(),
  lookup_key: emptyable(stringParam.max(200)).optional(),
  transfer_lookup_key: boolParam.optional(),
  tax_behavior: taxBehavior.optional(),
  expand: expandParam,
});

const listSchema = z.strictObject({
  ...listParams,
  active: boolParam.optional(),
  product: stringParam.optional(),
  type: z.enum(["one_time", "recurring"]).optional(),
  currency: currencyParam.optional(),
  lookup_keys: z.array(stringParam).max(10).optional(),
  recurring: z.strictObject({ interval: z.enum(["day", "week", "month", "year"]).optional(), usage_type: z.string().optional() }).optional(),
  created: rangeParam,
});

type PriceData = z.infer<typeof priceDataSchema>;
interface PriceExtras {
  active?: boolean | undefined;
  nickname?: string | undefined;
  lookup_key?: string | undefined;
  transfer_lookup_key?: boolean | undefined;
}

function claimLookupKey(em: Emulator, key: string, transfer: boolean | undefined): void {
  const holder = Object.values(em.store.state.prices).find((price) => price.lookup_key === key);
  if (!holder) return;
  if (!transfer) {
    throw invalidRequest(`A price (\`${holder.id}\`) already uses that lookup key.`, "lookup_key");
  }
  const before = render(em, holder);
  holder.lookup_key = null;
  emit(em, "price.updated", render(em, holder), changedAttributes(before, holder));
}

export function createPrice(em: Emulator, product: Stripe.Product, data: PriceData, extras: PriceExtras = {}): Stripe.Price {
  if (data.unit_amount === undefined && data.unit_amount_decimal === undefined) {
    throw invalidRequest("Missing required param: unit_amount.", "unit_amount", "parameter_missing");
  }
  if (data.unit_amount !== undefined && data.unit_amount_decimal !== undefined) {
    throw invalidRequest("You may only specify one of these parameters: unit_amount, unit_amount_decimal.", "unit_amount");
  }
  if (extras.lookup_key !== undefined) claimLookupKey(em, extras.lookup_key, extras.transfer_lookup_key);
  const unitAmount = data.unit_amount ?? Math.round(Number(data.unit_amount_decimal));
  const price: Stripe.Price = {
    id: newId("price"),
    object: "price",
    active: extras.active ?? true,
    billing_scheme: "per_unit",
    created: em.clock.now(),
    currency: data.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: extras.lookup_key ?? null,
    metadata: initialMetadata(data.metadata),
    nickname: extras.nickname ?? null,
    product: product.id,
    recurring: data.recurring
      ? {
          interval: data.recurring.interval,
          interval_count: data.recurring.interval_count ?? 1,
          meter: null,
          trial_period_days: data.recurring.trial_period_days ?? null,
          usage_type: "licensed",
        }
      : null,
    tax_behavior: data.tax_behavior ?? "unspecified",
    tiers_mode: null,
    transform_quantity: null,
    type: data.recurring ? "recurring" : "one_time",
    unit_amount: unitAmount,
    unit_amount_decimal: decimal(data.unit_amount_decimal !== undefined ? Number(data.unit_amount_decimal) : unitAmount),
  };
  return storeCreated(em, "price.created", em.store.state.prices, price);
}

export const create: ApiHandler = (em, { params }) => {
  const p = parseParams(createSchema, params);
  if (p.product !== undefined && p.product_data !== undefined) {
    throw invalidRequest("You may only specify one of these parameters: product, product_data.", "product");
  }
  let product: Stripe.Product;
  if (p.product !== undefined) {
    product = mustGet(em.store.state.products, p.product, "product", "product", 400);
  } else if (p.product_data !== undefined) {
    const data = p.product_data;
    product = createProduct(em, data.name, (prod) => {
      prod.active = data.active ?? true;
      prod.metadata = initialMetadata(data.metadata);
      prod.statement_descriptor = data.statement_descriptor ?? null;
      prod.tax_code = data.tax_code ?? null;
      prod.unit_label = data.unit_label ?? null;
    });
  } else {
    throw invalidRequest("Missing required param: product.", "product", "parameter_missing");
  }
  const price = createPrice(em, product, p, p);
  return expand(em, render(em, price), p.expand);
};

export const retrieve = retrieveHandler((state) => state.prices, "price");

export const update: ApiHandler = (em, { params, path }) => {
  const price = mustGet(em.store.state.prices, pathId(path), "price");
  const p = parseParams(updateSchema, params);
  if (p.tax_behavior !== undefined && price.tax_behavior !== "unspecified" && p.tax_behavior !== price.tax_behavior) {
    throw invalidRequest("tax_behavior cannot be changed once it is set.", "tax_behavior");
  }
  if (p.lookup_key !== undefined && p.lookup_key !== null && p.lookup_key !== price.lookup_key) {
    claimLookupKey(em, p.lookup_key, p.transfer_lookup_key);
  }
  emitUpdate(em, "price.updated", price, () => {
    applyGiven(price, p, ["active", "nickname", "lookup_key", "tax_behavior"]);
    price.metadata = applyMetadata(price.metadata, p.metadata);
  });
  return expand(em, render(em, price), p.expand);
};

export const list = listHandler(listSchema, "prices", { url: "/v1/prices", kind: "price" }, {
  equal: ["active", "product", "type", "currency"],
  keep: (price, p) =>
    (p.lookup_keys === undefined || (price.lookup_key !== null && p.lookup_keys.includes(price.lookup_key))) &&
    (p.recurring?.interval === undefined || price.recurring?.interval === p.recurring.interval),
});
