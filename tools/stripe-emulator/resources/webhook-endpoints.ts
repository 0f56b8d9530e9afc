/** /v1/webhook_endpoints: create (returns the `whsec_` secret once), retrieve, list, update, delete. */
import type Stripe from "stripe";
import { z } from "zod";
import { API_VERSION, type ApiHandler, type Emulator } from "../context";
import { expand } from "../expand";
import { newId } from "../ids";
import { newestFirst, paginate } from "../list";
import { applyGiven, applyMetadata, boolParam, emptyable, expandParam, initialMetadata, listParams, metadataParam, parseParams, stringParam } from "../params";
import { mustGet, pathId } from "./common";

const url = z.string().max(5000).refine((value) => /^https?:\/\/[^\s]+$/.test(value), { error: "Not a valid URL" });
const events = z.array(z.string().regex(/^(\*|[a-z_]+(\.[a-z_]+)+)$/, { error: "Invalid event type" })).min(1);

const createSchema = z.strictObject({
  url,
  enabled_events: events,
  description: emptyable(stringParam).optional(),
  metadata: metadataParam.optional(),
  api_version: stringParam.optional(),
  connect: boolParam.optional(),
  expand: expandParam,
});

const updateSchema = z.strictObject({
  url: url.optional(),
  enabled_events: events.optional(),
  description: emptyable(stringParam).optional(),
  metadata: metadataParam.optional(),
  disabled: boolParam.optional(),
  expand: expandParam,
});

export function addEndpoint(
  em: Emulator,
  input: { url: string; enabledEvents: string[]; secret?: string | undefined; description?: string | null; metadata?: Record<string, string>; configured: boolean },
): { endpoint: Stripe.WebhookEndpoint; secret: string } {
  const endpoint: Stripe.WebhookEndpoint = {
    id: newId("webhookEndpoint"),
    object: "webhook_endpoint",
    api_version: API_VERSION,
    application: null,
    created: em.clock.now(),
    description: input.description ?? null,
    enabled_events: input.enabledEvents,
    livemode: false,
    metadata: input.metadata ?? {},
    status: "enabled",
    url: input.url,
  };
  const secret = input.secret ?? newId("webhookSecret");
  em.store.state.webhook_endpoints[endpoint.id] = { endpoint, secret, configured: input.configured };
  em.store.changed();
  return { endpoint, secret };
}

export const create: ApiHandler = (em, { params }) => {
  const p = parseParams(createSchema, params);
  const { endpoint, secret } = addEndpoint(em, {
    url: p.url,
    enabledEvents: p.enabled_events,
    description: p.description ?? null,
    metadata: initialMetadata(p.metadata),
    configured: false,
  });
  return expand(em, { ...structuredClone(endpoint), secret }, p.expand);
};

export const retrieve: ApiHandler = (em, { params, path }) => {
  const p = parseParams(z.strictObject({ expand: expandParam }), params);
  return expand(em, structuredClone(mustGet(em.store.state.webhook_endpoints, pathId(path), "webhook endpoint").endpoint), p.expand);
};

export const list: ApiHandler = (em, { params }) => {
  const p = parseParams(z.strictObject(listParams), params);
  const items = newestFirst(em.store.state.webhook_endpoints).map((record) => structuredClone(record.endpoint));
  return expand(em, paginate(items, p, "/v1/webhook_endpoints", "webhook endpoint"), p.expand);
};

export const update: ApiHandler = (em, { params, path }) => {
  const record = mustGet(em.store.state.webhook_endpoints, pathId(path), "webhook endpoint");
  const p = parseParams(updateSchema, params);
  const endpoint = record.endpoint;
  applyGiven(endpoint, p, ["url", "enabled_events", "description"]);
  if (p.disabled !== undefined) endpoint.status = p.disabled ? "disabled" : "enabled";
  endpoint.metadata = applyMetadata(endpoint.metadata, p.metadata);
  em.store.changed();
  return expand(em, structuredClone(endpoint), p.expand);
};

export const remove: ApiHandler = (em, { path }) => {
  const record = mustGet(em.store.state.webhook_endpoints, pathId(path), "webhook endpoint");
  delete em.store.state.webhook_endpoints[record.endpoint.id];
  em.store.changed();
  const deleted: Stripe.DeletedWebhookEndpoint = { id: record.endpoint.id, object: "webhook_endpoint", deleted: true };
  return deleted;
};
