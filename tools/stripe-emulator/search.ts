/**
 * A subset of Stripe's Search Query Language, for customers and products:
 * `email:'a@b.c'`, `name~'ann'`, `active:'true'`, `metadata['userId']:'42'`, `-field:'x'`,
 * `created>1700000000`, clauses joined by AND or by OR (not both).
 */
import type Stripe from "stripe";
import { z } from "zod";
import type { ApiHandler, Emulator } from "./context";
import { invalidRequest } from "./errors";
import { expand } from "./expand";
import { newestFirst } from "./list";
import { expandParam, intParam, nonEmptyString, parseParams, stringParam } from "./params";
import { render } from "./render";

type Value = string | number | boolean | null | undefined;

/** The searchable fields of one object type (besides `metadata['k']`). */
export type SearchFields<T> = Record<string, (object: T) => Value>;

export const customerFields: SearchFields<Stripe.Customer> = {
  email: (c) => c.email,
  name: (c) => c.name,
  phone: (c) => c.phone,
  description: (c) => c.description,
  created: (c) => c.created,
};

export const productFields: SearchFields<Stripe.Product> = {
  active: (p) => p.active,
  name: (p) => p.name,
  description: (p) => p.description,
  shippable: (p) => p.shippable,
  url: (p) => p.url,
  created: (p) => p.created,
};

type Predicate<T> = (object: T) => boolean;

const CLAUSE = /^\s*(-?)([a-z_]+|metadata\[(?:'[^']*'|"[^"]*")\])\s*(:|~|>=|<=|>|<)\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|-?\d+)\s*/;

function unquote(raw: string): string {
  if (/^-?\d+$/.test(raw)) return raw;
  return raw.slice(1, -1).replace(/\\(.)/g, "$1");
}

function compare(actual: Value, op: string, value: string): boolean {
  if (actual === null || actual === undefined) return false;
  switch (op) {
    case ":":
      return String(actual) === value;
    case "~":
      return String(actual).toLowerCase().includes(value.toLowerCase());
    case ">":
      return Number(actual) > Number(value);
    case "<":
      return Number(actual) < Number(value);
    case ">=":
      return Number(actual) >= Number(value);
    default:
      return Number(actual) <= Number(value);
  }
}

function clausePredicate<T extends { metadata: Stripe.Metadata }>(
  fields: SearchFields<T>,
  clause: { negate: boolean; field: string; op: string; value: string },
  query: string,
): Predicate<T> {
  const { field, op, value } = clause;
  const read = field.startsWith("metadata[")
    ? (object: T) => object.metadata[unquote(field.slice(9, -1))]
    : Object.hasOwn(fields, field)
      ? fields[field]
      : undefined;
  if (!read) throw invalidRequest(`Field \`${field}\` is not supported in this search query: ${query}`, "query");
  if (op === "~" && value.length < 3) throw invalidRequest(`Substring match (~) needs at least 3 characters: ${query}`, "query");
  if (field === "created" && op !== ":" && !/^-?\d+$/.test(value)) throw invalidRequest(`created must be compared with a number: ${query}`, "query");
  const test: Predicate<T> = (object) => compare(read(object), op, value);
  return clause.negate ? (object) => !test(object) : test;
}

export function parseSearchQuery<T extends { metadata: Stripe.Metadata }>(query: string, fields: SearchFields<T>): Predicate<T> {
  let rest = query;
  const predicates: Predicate<T>[] = [];
  const joins = new Set<string>();
  for (;;) {
    const match = CLAUSE.exec(rest);
    if (!match) throw invalidRequest(`Invalid search query: ${query}`, "query");
    const [whole, negate, field, op, rawValue] = match;
    predicates.push(clausePredicate(fields, { negate: negate === "-", field: field ?? "", op: op ?? ":", value: unquote(rawValue ?? "''") }, query));
    rest = rest.slice(whole.length);
    if (rest.trim() === "") break;
    const join = /^(AND|OR)\s+/.exec(rest);
    if (!join) throw invalidRequest(`Invalid search query: ${query}`, "query");
    joins.add(join[1] ?? "");
    rest = rest.slice(join[0].length);
  }
  if (joins.size > 1) throw invalidRequest("A search query cannot mix AND and OR.", "query");
  return joins.has("OR") ? (object) => predicates.some((p) => p(object)) : (object) => predicates.every((p) => p(object));
}

const searchSchema = z.strictObject({
  query: nonEmptyString,
  limit: intParam.pipe(z.number().min(1).max(100)).optional(),
  page: stringParam.optional(),
  expand: expandParam,
});

type Searchable = Stripe.Customer | Stripe.Product;

/** `GET /v1/<resource>/search` over one record of the store, paged with `page` tokens. */
export function searchHandler<T extends Searchable>(records: (em: Emulator) => Record<string, T>, fields: SearchFields<T>, url: string): ApiHandler {
  return (em, { params }) => {
    const p = parseParams(searchSchema, params);
    const matches = parseSearchQuery(p.query, fields);
    const offset = p.page === undefined ? 0 : Number(Buffer.from(p.page, "base64url").toString("utf8"));
    if (!Number.isInteger(offset) || offset < 0) throw invalidRequest("Invalid page token.", "page");
    const limit = p.limit ?? 10;
    const all = newestFirst(records(em)).filter(matches);
    const hasMore = all.length > offset + limit;
    const result: Stripe.ApiSearchResult<T> = {
      object: "search_result",
      data: all.slice(offset, offset + limit).map((object) => render(em, object)),
      has_more: hasMore,
      next_page: hasMore ? Buffer.from(String(offset + limit)).toString("base64url") : null,
      url,
    };
    if (p.expand?.includes("total_count")) result.total_count = all.length;
    return expand(em, result, p.expand?.filter((path) => path !== "total_count"));
  };
}
