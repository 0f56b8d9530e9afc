/** /v1/events: retrieve and list (by type, types[], created). */
import { z } from "zod";
import type { ApiHandler } from "../context";
import { expand } from "../expand";
import { newestFirst, paginate } from "../list";
import { boolParam, expandParam, inRange, listParams, parseParams, rangeParam, stringParam } from "../params";
import { mustGet, pathId } from "./common";
import type Stripe from "stripe";
import type { Emulator } from "../context";

const listSchema = z.strictObject({
  ...listParams,
  type: stringParam.optional(),
  types: z.array(stringParam).max(20).optional(),
  created: rangeParam,
  delivery_success: boolParam.optional(),
});

function withPending(em: Emulator, event: Stripe.Event): Stripe.Event {
  const copy = structuredClone(event);
  copy.pending_webhooks = em.webhooks.pendingFor(event.id);
  return copy;
}

/** `customer.*` style wildcards, as Stripe's `type` filter allows. */
function typeMatches(type: string, filter: string): boolean {
  if (!filter.includes("*")) return type === filter;
  const pattern = new RegExp(`^${filter.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return pattern.test(type);
}

export const retrieve: ApiHandler = (em, { params, path }) => {
  const p = parseParams(z.strictObject({ expand: expandParam }), params);
  return expand(em, withPending(em, mustGet(em.store.state.events, pathId(path), "event")), p.expand);
};

export const list: ApiHandler = (em, { params }) => {
  const p = parseParams(listSchema, params);
  const items = newestFirst(em.store.state.events).filter(
    (event) =>
      (p.type === undefined || typeMatches(event.type, p.type)) &&
      (p.types === undefined || p.types.includes(event.type)) &&
      inRange(event.created, p.created),
  );
  // The page first, then each event's pending count: counting for every event made a full listing quadratic.
  const page = paginate(items, p, "/v1/events", "event");
  return expand(em, { ...page, data: page.data.map((e) => withPending(em, e)) }, p.expand);
};
