/**
 * A subset of Stripe's Search Query Language for customers:
 * `email:'a@b.c'`, `name~'ann'`, `metadata['userId']:'42'`, `-field:'x'`, `created>1700000000`,
 * clauses joined by AND or by OR (not both).
 */
import type Stripe from "stripe";
import { invalidRequest } from "./errors";

type Predicate = (customer: Stripe.Customer) => boolean;

const CLAUSE =
  /^\s*(-?)(email|name|phone|description|created|metadata\[(?:'[^']*'|"[^"]*")\])\s*(:|~|>=|<=|>|<)\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|-?\d+)\s*/;

function unquote(raw: string): string {
  if (/^-?\d+$/.test(raw)) return raw;
  return raw.slice(1, -1).replace(/\\(.)/g, "$1");
}

function fieldValue(customer: Stripe.Customer, field: string): string | number | null {
  if (field.startsWith("metadata[")) return customer.metadata[unquote(field.slice(9, -1))] ?? null;
  switch (field) {
    case "email":
      return customer.email;
    case "name":
      return customer.name ?? null;
    case "phone":
      return customer.phone ?? null;
    case "description":
      return customer.description;
    case "created":
      return customer.created;
    default:
      return null;
  }
}

function clausePredicate(negate: boolean, field: string, op: string, value: string, query: string): Predicate {
  if (op === "~" && value.length < 3) throw invalidRequest(`Substring match (~) needs at least 3 characters: ${query}`, "query");
  if (field === "created" && op !== ":" && !/^-?\d+$/.test(value)) throw invalidRequest(`created must be compared with a number: ${query}`, "query");
  const test: Predicate = (customer) => {
    const actual = fieldValue(customer, field);
    if (actual === null) return false;
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
  };
  return negate ? (customer) => !test(customer) : test;
}

export function parseCustomerQuery(query: string): Predicate {
  let rest = query;
  const predicates: Predicate[] = [];
  const joins = new Set<string>();
  for (;;) {
    const match = CLAUSE.exec(rest);
    if (!match) throw invalidRequest(`Invalid search query: ${query}`, "query");
    const [whole, negate, field, op, rawValue] = match;
    predicates.push(clausePredicate(negate === "-", field ?? "", op ?? ":", unquote(rawValue ?? "''"), query));
    rest = rest.slice(whole.length);
    if (rest.trim() === "") break;
    const join = /^(AND|OR)\s+/.exec(rest);
    if (!join) throw invalidRequest(`Invalid search query: ${query}`, "query");
    joins.add(join[1] ?? "");
    rest = rest.slice(join[0].length);
  }
  if (joins.size > 1) throw invalidRequest("A search query cannot mix AND and OR.", "query");
  return joins.has("OR")
    ? (customer) => predicates.some((p) => p(customer))
    : (customer) => predicates.every((p) => p(customer));
}
