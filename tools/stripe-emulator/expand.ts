/**
 * `expand[]`: replaces id strings with the objects they name, along dotted paths
 * (`subscription.latest_invoice`, `items.data.price.product`, `data.customer` on lists).
 */
import type { Emulator } from "./context";
import { invalidRequest } from "./errors";
import { lookupById } from "./render";

type Json = Record<string, unknown>;

/** Fields that hold the id of another object and may be expanded. */
const EXPANDABLE = new Set([
  "customer",
  "subscription",
  "latest_invoice",
  "invoice",
  "default_price",
  "product",
  "price",
  "default_payment_method",
  "default_source",
  "payment_intent",
  "charge",
  "latest_charge",
  "setup_intent",
  "pending_setup_intent",
  "schedule",
  "test_clock",
  "application",
  "on_behalf_of",
  "latest_revision",
  "payment_link",
  "coupon",
  "promotion_code",
  "discount",
  "discounts",
]);

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Fields that are not ids but can still be expanded. */
function specialExpansion(em: Emulator, node: Json, key: string): unknown {
  if (node.object === "checkout.session" && key === "line_items" && typeof node.id === "string") {
    const items = em.store.state.checkout_line_items[node.id] ?? [];
    return { object: "list", data: structuredClone(items), has_more: false, url: `/v1/checkout/sessions/${node.id}/line_items` };
  }
  return undefined;
}

function expandAt(em: Emulator, node: unknown, segments: string[], path: string): void {
  if (Array.isArray(node)) {
    for (const element of node) expandAt(em, element, segments, path);
    return;
  }
  if (!isObject(node)) return;
  const [key, ...rest] = segments;
  if (key === undefined) return;
  let value = node[key];
  if (value === undefined) {
    const special = specialExpansion(em, node, key);
    if (special === undefined) throw invalidRequest(`This property cannot be expanded (${key}).`, "expand");
    node[key] = value = special;
  } else if (typeof value === "string" || value === null) {
    if (!EXPANDABLE.has(key)) throw invalidRequest(`This property cannot be expanded (${key}).`, "expand");
    if (value !== null) {
      const resolved = lookupById(em, value);
      if (!resolved) throw invalidRequest(`This property cannot be expanded (${key}).`, "expand");
      node[key] = value = resolved;
    }
  } else if (Array.isArray(value) && EXPANDABLE.has(key) && value.every((entry) => typeof entry === "string")) {
    // Lists of ids (`discounts`): each one is expanded.
    node[key] = value = value.map((id: string) => {
      const resolved = lookupById(em, id);
      if (!resolved) throw invalidRequest(`This property cannot be expanded (${key}).`, "expand");
      return resolved;
    });
  } else if (!isObject(value) && !Array.isArray(value)) {
    throw invalidRequest(`This property cannot be expanded (${key}).`, "expand");
  }
  if (rest.length > 0) expandAt(em, value, rest, path);
}

export function expand<T>(em: Emulator, object: T, paths: string[] | undefined): T {
  if (!paths || paths.length === 0) return object;
  for (const path of paths) {
    const segments = path.split(".").filter((segment) => segment.length > 0);
    if (segments.length === 0) continue;
    if (segments.filter((s) => s !== "data").length > 4) {
      throw invalidRequest(`You cannot expand more than 4 levels of a property. Property: ${path}`, "expand");
    }
    expandAt(em, object, segments, path);
  }
  return object;
}
