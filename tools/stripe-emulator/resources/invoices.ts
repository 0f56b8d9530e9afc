/** /v1/invoices: list (by customer, subscription, status) and retrieve. Invoices are made by billing. */
import { z } from "zod";
import type { ApiHandler } from "../context";
import { expand } from "../expand";
import { paginate } from "../list";
import { listParams, parseParams, rangeParam, stringParam } from "../params";
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
