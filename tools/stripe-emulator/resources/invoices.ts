/** /v1/invoices: list (by customer, subscription, status) and retrieve. Invoices are made by billing. */
import { z } from "zod";
import type { ApiHandler } from "../context";
import { expand } from "../expand";
import { newestFirst, paginate } from "../list";
import { inRange, listParams, parseParams, rangeParam, stringParam } from "../params";
import { render } from "../render";
import { mustGet, pathId, retrieveHandler } from "./common";

const listSchema = z.strictObject({
  ...listParams,
  customer: stringParam.optional(),
  subscription: stringParam.optional(),
  status: z.enum(["draft", "open", "paid", "uncollectible", "void"]).optional(),
  collection_method: z.enum(["charge_automatically", "send_invoice"]).optional(),
  created: rangeParam,
});

export const retrieve = retrieveHandler((state) => state.invoices, "invoice");

export const list: ApiHandler = (em, { params }) => {
  const p = parseParams(listSchema, params);
  const items = newestFirst(em.store.state.invoices).filter(
    (invoice) =>
      (p.customer === undefined || invoice.customer === p.customer) &&
      (p.subscription === undefined || invoice.parent?.subscription_details?.subscription === p.subscription) &&
      (p.status === undefined || invoice.status === p.status) &&
      (p.collection_method === undefined || invoice.collection_method === p.collection_method) &&
      inRange(invoice.created, p.created),
  );
  return expand(em, paginate(items.map((x) => render(em, x)), p, "/v1/invoices", "invoice"), p.expand);
};

export const lines: ApiHandler = (em, { params, path }) => {
  const p = parseParams(z.strictObject(listParams), params);
  const invoice = mustGet(em.store.state.invoices, pathId(path), "invoice");
  return expand(em, paginate(structuredClone(invoice.lines.data), p, `/v1/invoices/${invoice.id}/lines`, "line item"), p.expand);
};
