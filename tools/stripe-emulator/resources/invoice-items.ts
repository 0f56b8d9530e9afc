/**
 * /v1/invoiceitems: create, retrieve and list (by customer, by `pending`). An item made for a subscription waits (invoice null)
 * and is billed on that subscription's next invoice (billing.ts), as Stripe does.
 */
import type Stripe from "stripe";
import { z } from "zod";
import type { ApiHandler } from "../context";
import { invalidRequest } from "../errors";
import { expand } from "../expand";
import { newId } from "../ids";
import { newestFirst, paginate } from "../list";
import { customerIdOf } from "../lifecycle";
import { boolParam, expandParam, intParam, listParams, metadataParam, nonEmptyString, parseParams, stringParam } from "../params";
import { decimal, render } from "../render";
import { mustGet, retrieveHandler } from "./common";
import { addItemToDraft } from "./invoices";

const createSchema = z.strictObject({
  customer: nonEmptyString,
  amount: intParam,
  currency: z.string().regex(/^[a-z]{3}$/, { error: "Invalid currency" }),
  subscription: nonEmptyString.optional(),
  // A draft one-off invoice to put the item on (else it waits for the customer's next invoice).
  invoice: nonEmptyString.optional(),
  description: stringParam.max(500).optional(),
  discountable: boolParam.optional(),
  metadata: metadataParam.optional(),
  expand: expandParam,
});

export const retrieve = retrieveHandler((state) => state.invoice_items, "invoiceitem");

const listSchema = z.strictObject({
  ...listParams,
  customer: stringParam.optional(),
  /** Only items not yet on an invoice (true), or only invoiced ones (false). */
  pending: boolParam.optional(),
});

export const list: ApiHandler = (em, { params }) => {
  const p = parseParams(listSchema, params);
  const items = newestFirst(em.store.state.invoice_items).filter(
    (item) => (p.customer === undefined || item.customer === p.customer) && (p.pending === undefined || (item.invoice === null) === p.pending),
  );
  return expand(em, paginate(items.map((x) => render(em, x)), p, "/v1/invoiceitems", "invoiceitem"), p.expand);
};

export const create: ApiHandler = (em, { params }) => {
  const p = parseParams(createSchema, params);
  mustGet(em.store.state.customers, p.customer, "customer", "customer", 400);
  if (p.subscription !== undefined) {
    const subscription = mustGet(em.store.state.subscriptions, p.subscription, "subscription", "subscription", 400);
    if (customerIdOf(subscription) !== p.customer) throw invalidRequest("The subscription does not belong to this customer.", "subscription");
    if (subscription.currency !== p.currency) throw invalidRequest("The currency must match the subscription's currency.", "currency");
  }
  const now = em.clock.now();
  const item: Stripe.InvoiceItem = {
    id: newId("invoiceItem"),
    object: "invoiceitem",
    amount: p.amount,
    currency: p.currency,
    customer: p.customer,
    customer_account: null,
    date: now,
    description: p.description ?? null,
    discountable: p.discountable ?? true,
    discounts: [],
    invoice: null,
    livemode: false,
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === "string")),
    net_amount: p.amount,
    parent: p.subscription ? { type: "subscription_details", subscription_details: { subscription: p.subscription } } : null,
    period: { start: now, end: now },
    pricing: null,
    proration: false,
    quantity: 1,
    quantity_decimal: decimal(1),
    tax_rates: [],
    test_clock: null,
  };
  if (p.invoice !== undefined) {
    if (p.subscription !== undefined) throw invalidRequest("An invoice item goes on an invoice or waits for a subscription's, not both.", "invoice");
    addItemToDraft(em, p.invoice, item);
  }
  em.store.state.invoice_items[item.id] = item;
  em.store.changed();
  return expand(em, render(em, item), p.expand);
};
