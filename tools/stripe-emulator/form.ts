/**
 * Decodes Stripe's form encoding (`a[b][0][c]=x&list[]=y`) into nested objects and arrays.
 * Objects whose keys are all array indices become arrays (ordered by index). Values stay
 * strings; an empty value is "" (Stripe's way to unset a field). Malformed input throws a
 * 400 invalid_request_error.
 */
import { invalidRequest } from "./errors";

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

interface Container {
  entries: Map<string, Node>;
  appended: Node[];
}
type Node = string | Container;

const MAX_PAIRS = 2000;
const MAX_DEPTH = 12;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const INDEX = /^(0|[1-9]\d{0,5})$/;

function decodeComponent(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    throw invalidRequest(`Invalid request: could not decode the form parameter '${raw.slice(0, 60)}'.`);
  }
}

/** `a[b][]` → ["a", "b", ""]. */
export function parseKey(key: string): string[] {
  const open = key.indexOf("[");
  if (open === -1) return [key];
  const head = key.slice(0, open);
  const segments = [head];
  let rest = key.slice(open);
  while (rest.length > 0) {
    const match = /^\[([^[\]]*)\]/.exec(rest);
    if (!match) throw invalidRequest(`Invalid parameter name: '${key}'.`, key);
    segments.push(match[1] ?? "");
    rest = rest.slice(match[0].length);
  }
  if (head === "") throw invalidRequest(`Invalid parameter name: '${key}'.`, key);
  return segments;
}

function newContainer(): Container {
  return { entries: new Map(), appended: [] };
}

function insert(root: Container, segments: string[], value: string, key: string): void {
  if (segments.length > MAX_DEPTH) throw invalidRequest(`Parameter nested too deeply: '${key}'.`, key);
  let node = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? "";
    const last = i === segments.length - 1;
    if (FORBIDDEN_KEYS.has(segment)) throw invalidRequest(`Invalid parameter name: '${key}'.`, key);
    if (segment === "") {
      if (!last || i === 0) throw invalidRequest(`Invalid parameter name: '${key}'.`, key);
      node.appended.push(value);
      return;
    }
    const existing = node.entries.get(segment);
    if (last) {
      if (existing !== undefined && typeof existing !== "string") {
        throw invalidRequest(`Invalid parameter '${key}': it is both a value and a hash.`, key);
      }
      node.entries.set(segment, value);
      return;
    }
    if (existing === undefined) {
      const child = newContainer();
      node.entries.set(segment, child);
      node = child;
    } else if (typeof existing === "string") {
      throw invalidRequest(`Invalid parameter '${key}': it is both a value and a hash.`, key);
    } else {
      node = existing;
    }
  }
}

function toValue(node: Node, path: string): FormValue {
  if (typeof node === "string") return node;
  const keys = [...node.entries.keys()];
  if (node.appended.length > 0) {
    if (keys.length > 0) throw invalidRequest(`Invalid parameter '${path}': mixes a list and a hash.`, path);
    return node.appended.map((child, i) => toValue(child, `${path}[${i}]`));
  }
  if (keys.length > 0 && keys.every((k) => INDEX.test(k))) {
    return keys
      .map((k) => Number(k))
      .sort((a, b) => a - b)
      .map((index) => toValue(node.entries.get(String(index)) as Node, `${path}[${index}]`));
  }
  const out: FormObject = {};
  for (const [k, child] of node.entries) out[k] = toValue(child, path === "" ? k : `${path}[${k}]`);
  return out;
}

export function decodeForm(body: string): FormObject {
  const root = newContainer();
  const pairs = body.split("&").filter((part) => part.length > 0);
  if (pairs.length > MAX_PAIRS) throw invalidRequest("Too many parameters in the request.");
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? "" : pair.slice(eq + 1);
    const key = decodeComponent(rawKey);
    insert(root, parseKey(key), decodeComponent(rawValue), key);
  }
  return toValue(root, "") as FormObject;
}

/** Encodes nested values the way stripe-node does (indices for arrays). Used by tests and pages. */
export function encodeForm(data: Record<string, unknown>): string {
  const pairs: string[] = [];
  const walk = (key: string, value: unknown): void => {
    if (value === undefined) return;
    if (value === null || typeof value !== "object") {
      pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(value === null ? "" : String(value))}`);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(`${key}[${i}]`, item));
    } else {
      for (const [k, v] of Object.entries(value)) walk(`${key}[${k}]`, v);
    }
  };
  for (const [k, v] of Object.entries(data)) walk(k, v);
  return pairs.join("&");
}
