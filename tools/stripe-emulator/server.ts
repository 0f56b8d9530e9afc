/**
 * HTTP plumbing: reads bodies, checks the API key, decodes forms, applies idempotency, routes
 * to the API handlers, the hosted pages and the control API, and always answers in Stripe's
 * shapes; nothing a client sends can crash the server.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Emulator } from "./context";
import { API_VERSION } from "./context";
import { StripeApiError, internalError, invalidRequest, unauthorized, unrecognizedUrl } from "./errors";
import { decodeForm } from "./form";
import { fingerprint, type IdempotencyCache } from "./idempotency";
import { newId } from "./ids";
import { handleControl } from "./control";
import { showCheckout, submitCheckout } from "./pages/checkout-page";
import { showInvoice } from "./pages/invoice-page";
import { messagePage, type PageResult } from "./pages/layout";
import { showPortal, submitPortal } from "./pages/portal-page";
import { matchRoute } from "./routes";

const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function redact(key: string): string {
  return key.length <= 12 ? `${key.slice(0, 3)}****` : `${key.slice(0, 8)}${"*".repeat(Math.min(20, key.length - 12))}${key.slice(-4)}`;
}

/** The API key from `Authorization: Bearer …` or Basic auth; throws Stripe's 401s. */
export function checkApiKey(header: string | undefined): string {
  if (!header) {
    throw unauthorized(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  }
  let key = "";
  const bearer = /^Bearer\s+(.+)$/i.exec(header);
  const basic = /^Basic\s+(.+)$/i.exec(header);
  if (bearer) key = (bearer[1] ?? "").trim();
  else if (basic) key = Buffer.from(basic[1] ?? "", "base64").toString("utf8").split(":")[0] ?? "";
  if (!key.startsWith("sk_test_") || key.length <= "sk_test_".length || /\s/.test(key)) {
    throw unauthorized(`Invalid API Key provided: ${redact(key)}`);
  }
  return key;
}

function sendJson(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    "content-type": "application/json",
    "cache-control": "no-cache, no-store",
    "stripe-version": API_VERSION,
    ...headers,
  });
  res.end(body);
}

function sendError(res: ServerResponse, error: StripeApiError, requestId: string): void {
  sendJson(res, error.status, JSON.stringify(error.toBody(), null, 2), {
    "request-id": requestId,
    "stripe-should-retry": error.status >= 500 ? "true" : "false",
  });
}

function sendPage(res: ServerResponse, result: PageResult): void {
  if (result.location) {
    res.writeHead(result.status, { location: result.location, "cache-control": "no-store" });
    res.end();
    return;
  }
  res.writeHead(result.status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; base-uri 'none'",
  });
  res.end(result.html ?? "");
}

function parseBody(req: IncomingMessage, body: string, allowJson: boolean): Record<string, unknown> {
  if (body.trim() === "") return {};
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (allowJson && type.includes("application/json")) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw invalidRequest("Invalid JSON body.");
  }
  if (type !== "" && !type.includes("application/x-www-form-urlencoded")) {
    throw invalidRequest(
      `Invalid request: unsupported Content-Type ${type}. Stripe only accepts application/x-www-form-urlencoded request bodies.`,
    );
  }
  return decodeForm(body);
}

export interface ServerDeps {
  idempotency: IdempotencyCache;
  reset: () => void;
}

async function handleApi(em: Emulator, deps: ServerDeps, req: IncomingMessage, res: ServerResponse, url: URL, requestId: string): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const apiKey = checkApiKey(req.headers.authorization);
  const matched = matchRoute(method, url.pathname);
  if (!matched.route) throw unrecognizedUrl(method, url.pathname);
  const body = await readBody(req);
  const query = decodeForm(url.search.slice(1));
  const params = { ...query, ...parseBody(req, body, false) };
  const headerKey = req.headers["idempotency-key"];
  const idempotencyKey = typeof headerKey === "string" && headerKey !== "" ? headerKey : null;
  if (idempotencyKey !== null && idempotencyKey.length > 255) {
    throw invalidRequest("Idempotency keys can be no longer than 255 characters.");
  }
  const idempotent = idempotencyKey !== null && (method === "POST" || method === "DELETE");
  const print = fingerprint(method, url.pathname, params);
  if (idempotent) {
    const replay = deps.idempotency.lookup(apiKey, idempotencyKey, print);
    if (replay) {
      sendJson(res, replay.status, replay.body, { "request-id": requestId, "idempotent-replayed": "true", "idempotency-key": idempotencyKey });
      return;
    }
  }
  em.request = { id: requestId, idempotency_key: idempotencyKey };
  let result: unknown;
  try {
    result = matched.route.handler(em, { method, params, path: matched.params });
  } finally {
    em.request = null;
  }
  const text = JSON.stringify(result, null, 2);
  if (idempotent) deps.idempotency.save(apiKey, idempotencyKey, print, 200, text);
  sendJson(res, 200, text, { "request-id": requestId, ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}) });
}

async function handlePage(em: Emulator, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const method = (req.method ?? "GET").toUpperCase();
  const checkout = /^\/c\/pay\/([^/]+)\/?$/.exec(url.pathname);
  const portal = /^\/p\/session\/([^/]+)\/?$/.exec(url.pathname);
  const invoice = /^\/i\/([^/]+)\/?$/.exec(url.pathname);
  if (invoice && (method === "GET" || method === "HEAD")) {
    sendPage(res, showInvoice(em, decodeURIComponent(invoice[1] ?? "")));
    return true;
  }
  if (!checkout && !portal) return false;
  const id = decodeURIComponent((checkout ?? portal)?.[1] ?? "");
  if (method === "GET" || method === "HEAD") {
    sendPage(res, checkout ? showCheckout(em, id) : showPortal(em, id, url.searchParams.get("done")));
    return true;
  }
  if (method !== "POST") {
    sendPage(res, messagePage(405, "Method not allowed", "This page only accepts GET and POST."));
    return true;
  }
  let form: Record<string, unknown>;
  try {
    form = parseBody(req, await readBody(req), false);
  } catch (error) {
    if (error instanceof BodyTooLarge) throw error;
    sendPage(res, messagePage(400, "Bad request", "The form could not be read."));
    return true;
  }
  sendPage(res, checkout ? submitCheckout(em, id, form) : submitPortal(em, id, form));
  return true;
}

async function handleControlRequest(em: Emulator, deps: ServerDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const params = { ...decodeForm(url.search.slice(1)), ...parseBody(req, await readBody(req), true) };
  const result = handleControl(em, method, url.pathname, params, deps.reset);
  sendJson(res, result.status, JSON.stringify(result.body, null, 2));
}

export function createRequestHandler(em: Emulator, deps: ServerDeps) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = newId("request");
    req.on("error", () => {});
    res.on("error", () => {});
    void (async () => {
      let url: URL;
      try {
        url = new URL(req.url ?? "/", "http://emulator.local");
      } catch {
        sendError(res, invalidRequest("Invalid request URL."), requestId);
        return;
      }
      try {
        if (url.pathname.startsWith("/v1/") || url.pathname === "/v1") {
          await handleApi(em, deps, req, res, url, requestId);
        } else if (url.pathname.startsWith("/_emulator/")) {
          await handleControlRequest(em, deps, req, res, url);
        } else if (!(await handlePage(em, req, res, url))) {
          if (url.pathname === "/" && req.method === "GET") {
            sendJson(res, 200, JSON.stringify({ name: "stripe-emulator", api_version: API_VERSION, docs: "tools/stripe-emulator/README.md" }, null, 2));
          } else {
            sendError(res, unrecognizedUrl(req.method ?? "GET", url.pathname), requestId);
          }
        }
      } catch (error) {
        if (res.headersSent) {
          res.end();
          return;
        }
        if (error instanceof BodyTooLarge) {
          sendError(res, new StripeApiError(413, "invalid_request_error", "Request body too large."), requestId);
        } else if (error instanceof StripeApiError) {
          sendError(res, error, requestId);
        } else {
          em.config.log(`stripe-emulator: internal error on ${req.method} ${req.url}: ${error instanceof Error ? error.stack : String(error)}`);
          sendError(res, internalError(), requestId);
        }
      }
    })();
  };
}
