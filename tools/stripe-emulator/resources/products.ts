/** /v1/products: create, retrieve, update, list, search. */
import type Stripe from "stripe";
import { z } from "zod";
import type { ApiHandler, Emulator } from "../context";
import { invalidRequest } from "../errors";
import { changedAttributes, emit, storeCreated } from "../events";
import { expand } from "../expand";
import { newId } from "../ids";
import { applyGiven, applyMetadata, boolParam, emptyable, expandParam, listParams, metadataParam, nonEmptyString, parseParams, rangeParam, stringParam } from "../params";
import { render } from "../render";
import { productFields, searchHandler } from "../search";
import { listHandler, mustGet, pathId, retrieveHandler } from "./common";
import { createPrice } from "./prices";
import { priceDataSchema } from "./price-params";

const optionalText = emptyable(stringParam).optional();
const images = z.union([z.literal("").transform((): string[] => []), z.array(stringParam).max(8)]).optional();
const marketingFeatures = z
  .union([z.literal("").transform((): Array<{ name: string }> => []), z.array(z.strictObject({ name: nonEmptyString.max(80) })).max(15)])
  .optional();

const shared = {
  active: boolParam.optional(),
  description: optionalText,
  metadata: metadataParam.optional(),
  images,
  marketing_features: marketingFeatures,
  statement_descriptor: optionalText,
  tax_code: optionalText,
  unit_label: optionalText,
  url: optionalText,
  shippable: boolParam.optional(),
  expand: expandParam,
};

const createSchema = z.strictObject({
  ...shared,
  id: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, { error: "Invalid product id" }).optional(),
  name: nonEmptyString.max(250),
  type: z.enum(["service", "good"]).optional(),
  default_price_data: priceDataSchema.optional(),
});

const updateSchema = z.strictObject({
  ...shared,
  name: nonEmptyString.max(250).optional(),
  default_price: emptyable(nonEmptyString).optional(),
});

const listSchema = z.strictObject({
  ...listParams,
  active: boolParam.optional(),
  ids: z.array(stringParam).optional(),
  shippable: boolParam.optional(),
  url: stringParam.optional(),
  created: rangeParam,
});

type Shared = z.infer<typeof updateSchema>;

function applyShared(product: Stripe.Product, p: Shared): void {
  applyGiven(product, p, ["name", "active", "description", "images", "marketing_features", "statement_descriptor", "tax_code", "unit_label", "url", "shippable"]);
  product.metadata = applyMetadata(product.metadata, p.metadata);
}

export function createProduct(em: Emulator, name: string, configure?: (product: Stripe.Product) => void, id?: string): Stripe.Product {
  const now = em.clock.now();
  const product: Stripe.Product = {
    id: id ?? newId("product"),
    object: "product",
    active: true,
    created: now,
    default_price: null,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: "service",
    unit_label: null,
    updated: now,
    url: null,
  };
  configure?.(product);
  return storeCreated(em, "product.created", em.store.state.products, product);
}

export const create: ApiHandler = (em, { params }) => {
  const p = parseParams(createSchema, params);
  if (p.id !== undefined && Object.hasOwn(em.store.state.products, p.id)) {
    throw invalidRequest(`Product already exists.`, "id", "resource_already_exists");
  }
  const product = createProduct(em, p.name, (prod) => applyShared(prod, p), p.id);
  if (p.default_price_data) {
    const price = createPrice(em, product, p.default_price_data);
    const before = render(em, product);
    product.default_price = price.id;
    emit(em, "product.updated", render(em, product), changedAttributes(before, product));
  }
  em.store.changed();
  return expand(em, render(em, product), p.expand);
};

export const retrieve = retrieveHandler((state) => state.products, "product");

export const update: ApiHandler = (em, { params, path }) => {
  const product = mustGet(em.store.state.products, pathId(path), "product");
  const p = parseParams(updateSchema, params);
  if (p.default_price !== undefined && p.default_price !== null) {
    const price = mustGet(em.store.state.prices, p.default_price, "price", "default_price", 400);
    if (price.product !== product.id) throw invalidRequest("The default price must belong to this product.", "default_price");
    if (!price.active) throw invalidRequest("The default price must be active.", "default_price");
  }
  const before = render(em, product);
  applyShared(product, p);
  if (p.default_price !== undefined) product.default_price = p.default_price;
  const previous = changedAttributes(before, product);
  if (Object.keys(previous).length > 0) {
    product.updated = em.clock.now();
    emit(em, "product.updated", render(em, product), previous);
    em.store.changed();
  }
  return expand(em, render(em, product), p.expand);
};

export const list = listHandler(listSchema, "products", { url: "/v1/products", kind: "product" }, {
  equal: ["active", "shippable", "url"],
  keep: (product, p) => p.ids === undefined || p.ids.includes(product.id),
});

export const search = searchHandler((em) => em.store.state.products, productFields, "/v1/products/search");
