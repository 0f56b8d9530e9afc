/** /v1/customers: create, retrieve, update, list (by email), search (by metadata, email, name). */
import type Stripe from "stripe";
import { z } from "zod";
import type { ApiHandler, Emulator } from "../context";
import { emitUpdate, storeCreated } from "../events";
import { expand } from "../expand";
import { newId, randomBase62 } from "../ids";
import { applyGiven, applyMetadata, emptyable, expandParam, initialMetadata, listParams, metadataParam, parseParams, rangeParam, stringParam } from "../params";
import { render } from "../render";
import { customerFields, searchHandler } from "../search";
import { listHandler, mustGet, pathId } from "./common";

const address = z.strictObject({
  city: emptyable(stringParam).optional(),
  country: emptyable(stringParam).optional(),
  line1: emptyable(stringParam).optional(),
  line2: emptyable(stringParam).optional(),
  postal_code: emptyable(stringParam).optional(),
  state: emptyable(stringParam).optional(),
});

const email = stringParam.max(512).refine((value) => /^[^\s@]+@[^\s@]+$/.test(value), { error: "Invalid email address" });

const writable = {
  email: emptyable(email).optional(),
  name: emptyable(stringParam.max(256)).optional(),
  description: emptyable(stringParam).optional(),
  phone: emptyable(stringParam.max(20)).optional(),
  metadata: metadataParam.optional(),
  preferred_locales: z.union([z.literal("").transform(() => []), z.array(stringParam)]).optional(),
  address: emptyable(address).optional(),
  tax_exempt: z.enum(["none", "exempt", "reverse"]).optional(),
  // Accepted and ignored.
  payment_method: stringParam.optional(),
  invoice_settings: z.unknown().optional(),
  expand: expandParam,
};

const createSchema = z.strictObject(writable);
const updateSchema = z.strictObject(writable);
const retrieveSchema = z.strictObject({ expand: expandParam });
const listSchema = z.strictObject({ ...listParams, email: stringParam.max(512).optional(), created: rangeParam });

type Writable = z.infer<typeof updateSchema>;

function toAddress(value: Writable["address"]): Stripe.Address | null {
  if (!value) return null;
  return {
    city: value.city ?? null,
    country: value.country ?? null,
    line1: value.line1 ?? null,
    line2: value.line2 ?? null,
    postal_code: value.postal_code ?? null,
    state: value.state ?? null,
  };
}

export function createCustomer(
  em: Emulator,
  fields: { email?: string | null; name?: string | null; metadata?: Record<string, string> },
  configure?: (customer: Stripe.Customer) => void,
): Stripe.Customer {
  const customer: Stripe.Customer = {
    id: newId("customer"),
    object: "customer",
    address: null,
    balance: 0,
    created: em.clock.now(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: fields.email ?? null,
    invoice_prefix: randomBase62(8).toUpperCase(),
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: fields.metadata ?? {},
    name: fields.name ?? null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  };
  configure?.(customer);
  return storeCreated(em, "customer.created", em.store.state.customers, customer);
}

function applyWritable(customer: Stripe.Customer, params: Writable): void {
  applyGiven(customer, params, ["email", "name", "description", "phone", "preferred_locales"]);
  if (params.address !== undefined) customer.address = toAddress(params.address);
  if (params.tax_exempt !== undefined) customer.tax_exempt = params.tax_exempt;
  customer.metadata = applyMetadata(customer.metadata, params.metadata);
}

export const create: ApiHandler = (em, { params }) => {
  const p = parseParams(createSchema, params);
  const customer = createCustomer(em, { metadata: initialMetadata(p.metadata) }, (c) => applyWritable(c, p));
  return expand(em, render(em, customer), p.expand);
};

export const retrieve: ApiHandler = (em, { params, path }) => {
  const p = parseParams(retrieveSchema, params);
  return expand(em, render(em, mustGet(em.store.state.customers, pathId(path), "customer")), p.expand);
};

export const update: ApiHandler = (em, { params, path }) => {
  const customer = mustGet(em.store.state.customers, pathId(path), "customer");
  const p = parseParams(updateSchema, params);
  emitUpdate(em, "customer.updated", customer, () => applyWritable(customer, p));
  return expand(em, render(em, customer), p.expand);
};

export const list = listHandler(listSchema, "customers", { url: "/v1/customers", kind: "customer" }, { equal: ["email"] });

export const search = searchHandler((em) => em.store.state.customers, customerFields, "/v1/customers/search");
