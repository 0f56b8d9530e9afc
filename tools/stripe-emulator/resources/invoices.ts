/** /v1/invoices: list (by customer, subscription, status) and retrieve (subscriptions' invoices are made by billing); one-off invoices below. */
import type Stripe from "stripe";
import { z } from "zod";
import { finalizeDraft, invoiceObject, itemLine, markPaid } from "../billing";
import type { ApiHandler } from "../context";
import { invalidRequest } from "../errors";
import { emit, storeCreated } from "../events";
import { expand } from "../expand";
import { newId } from "../ids";
import { paginate } from "../list";
import { boolParam, currencyParam, expandParam, initialMetadata, intParam, listParams, metadataParam, nonEmptyString, parseParams, rangeParam, stringParam } from "../params";
import { render } from "../render";
import { listHandler, mustGet, pathId, retrieveHandler } from "./common";

const listSchema = z.strictObject({
  ...listParams,
  customer: stringParam.optional(),
  subscription: stringParam.optional(),
  status: z.enum(["draft", "open", "paid", "uncollectible", "void"]).optional(),
  collection_method: z.enum(["charge_automatically", "send_invoice"]).optional(),
  created: rangeParam,
});

export const retrieve = retrieveHandler((state) => state.invoices, "invoice");

export const list = listHandler(listSchema, "invoices", { url: "/v1/invoices", kind: "invoice" }, {
  equal: ["customer", "status", "collection_method"],
  keep: (invoice, p) => p.subscription === undefined || invoice.parent?.subscription_details?.subscription === p.subscription,
});

export const lines: ApiHandler = (em, { params, path }) => {
  const p = parseParams(z.strictObject(listParams), params);
  const invoice = mustGet(em.store.state.invoices, pathId(path), "invoice");
  return expand(em, paginate(structuredClone(invoice.lines.data), p, `/v1/invoices/${invoice.id}/lines`, "line item"), p.expand);
};

// --- One-off invoices, as publishers bill firms: POST /v1/invoices, items added with `invoice`, finalize, send, pay out of band, void ---

const createSchema = z
  .strictObject({
    customer: nonEmptyString,
    collection_method: z.enum(["charge_automatically", "send_invoice"]).optional(),
    days_until_due: intParam.pipe(z.number().min(0).max(36_500)).optional(),
    auto_advance: boolParam.optional(),
    currency: currencyParam.optional(),
    description: stringParam.max(1500).optional(),
    metadata: metadataParam.optional(),
    // Since 2022-08-01 pending items are left out unless asked for; only `exclude` is emulated.
    pending_invoice_items_behavior: z.literal("exclude", { error: "The Stripe emulator adds items to an invoice only by their `invoice` parameter" }).optional(),
    expand: expandParam,
  })
  .superRefine((p, ctx) => {
    // Stripe: days_until_due only, and always, for send_invoice.
    if (p.collection_method === "send_invoice" && p.days_until_due === undefined) ctx.addIssue({ code: "custom", path: ["days_until_due"], message: "Missing required param: days_until_due." });
    if (p.collection_method !== "send_invoice" && p.days_until_due !== undefined) ctx.addIssue({ code: "custom", path: ["days_until_due"], message: "Invoices with collection_method=charge_automatically cannot have days_until_due." });
  });

/** A draft one-off invoice; `send_invoice` ones are due `days_until_due` days after they are created. */
export const create: ApiHandler = (em, { params }) => {
  const p = parseParams(createSchema, params);
  mustGet(em.store.state.customers, p.customer, "customer", "customer", 400);
  const now = em.clock.now();
  const invoice = invoiceObject(em, {
    id: newId("invoice"),
    customerId: p.customer,
    currency: p.currency ?? "usd",
    lines: [],
    reason: "manual",
    collectionMethod: p.collection_method ?? "charge_automatically",
    autoAdvance: p.auto_advance ?? false,
    description: p.description ?? null,
    metadata: initialMetadata(p.metadata),
    parent: null,
    period: { start: now, end: now },
  });
  if (p.days_until_due !== undefined) invoice.due_date = now + p.days_until_due * 86_400;
  storeCreated(em, "invoice.created", em.store.state.invoices, invoice);
  return expand(em, render(em, invoice), p.expand);
};

const actionSchema = z.strictObject({ expand: expandParam });

function openInvoice(em: Parameters<ApiHandler>[0], path: Record<string, string>, action: string): Stripe.Invoice {
  const invoice = mustGet(em.store.state.invoices, pathId(path), "invoice");
  if (invoice.status !== "open") throw invalidRequest(`You can only ${action} an open invoice; this one is ${invoice.status}.`, undefined, "invoice_not_open");
  return invoice;
}

export const finalize: ApiHandler = (em, { params, path }) => {
  const p = parseParams(z.strictObject({ auto_advance: boolParam.optional(), expand: expandParam }), params);
  const invoice = mustGet(em.store.state.invoices, pathId(path), "invoice");
  if (invoice.status !== "draft") throw invalidRequest("This invoice is already finalized, you can't re-finalize a non-draft invoice.", undefined, "invoice_already_finalized");
  if (p.auto_advance !== undefined) invoice.auto_advance = p.auto_advance;
  finalizeDraft(em, invoice);
  // A zero invoice is paid when it is finalized, as in Stripe.
  if (invoice.amount_due === 0) markPaid(em, invoice, null);
  return expand(em, render(em, invoice), p.expand);
};

/** Stripe mails the hosted invoice to the customer; the emulator records nothing but the event. */
export const send: ApiHandler = (em, { params, path }) => {
  const p = parseParams(actionSchema, params);
  const invoice = openInvoice(em, path, "send");
  if (invoice.collection_method !== "send_invoice") throw invalidRequest("You can only manually send an invoice if its collection method is 'send_invoice'.", undefined, "invoice_not_send_invoice");
  emit(em, "invoice.sent", render(em, invoice));
  em.store.changed();
  return expand(em, render(em, invoice), p.expand);
};

/** Paid outside Stripe (a bank transfer the publisher saw): `paid_out_of_band=true`, no charge. */
export const pay: ApiHandler = (em, { params, path }) => {
  const p = parseParams(z.strictObject({ paid_out_of_band: z.literal("true", { error: "The Stripe emulator pays invoices only out of band here" }), expand: expandParam }), params);
  const invoice = openInvoice(em, path, "pay");
  invoice.amount_paid_off_stripe = invoice.amount_remaining;
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.status = "paid";
  invoice.status_transitions.paid_at = em.clock.now();
  emit(em, "invoice.paid", render(em, invoice));
  em.store.changed();
  return expand(em, render(em, invoice), p.expand);
};

export const voidInvoice: ApiHandler = (em, { params, path }) => {
  const p = parseParams(actionSchema, params);
  const invoice = openInvoice(em, path, "void");
  invoice.status = "void";
  invoice.amount_remaining = 0;
  invoice.status_transitions.voided_at = em.clock.now();
  emit(em, "invoice.voided", render(em, invoice));
  em.store.changed();
  return expand(em, render(em, invoice), p.expand);
};

/** An invoice item put on a draft one-off invoice: its line, and the invoice's totals again. */
export function addItemToDraft(em: Parameters<ApiHandler>[0], invoiceId: string, item: Stripe.InvoiceItem): void {
  const invoice = mustGet(em.store.state.invoices, invoiceId, "invoice", "invoice", 400);
  if (invoice.status !== "draft") throw invalidRequest("You can only add invoice items to a draft invoice.", "invoice");
  if (invoice.customer !== item.customer) throw invalidRequest("The invoice does not belong to this customer.", "invoice");
  if (invoice.currency !== item.currency) throw invalidRequest("The currency must match the invoice's currency.", "currency");
  item.invoice = invoice.id;
  invoice.lines.data.push(itemLine(item, invoice.id, null));
  const total = invoice.lines.data.reduce((sum, line) => sum + line.amount, 0);
  Object.assign(invoice, { amount_due: total, amount_remaining: total, subtotal: total, subtotal_excluding_tax: total, total, total_excluding_tax: total });
}
