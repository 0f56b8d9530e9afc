import { z } from "zod";
import { enabledProviders } from "./auth";
import { EMAIL_CALLBACK } from "./confirm-page-guard";
import { emailLinkSchema } from "./email-link";

/*
 * What Auth.js's endpoints accept, checked before Auth.js runs. Auth.js answers a request it cannot
 * handle by throwing (logged as an error, then a 500 or a redirect to the error page): an unknown
 * action or provider, a callback URL that is not an http(s) URL, a JSON body that does not parse,
 * an `error` code with bytes that cannot go in a Location header, an email callback without its
 * link's token and address. Those are a client's mistakes:
 * they get a 404 or a 400 here and Auth.js never sees them.
 */

const BASE_PATH = "/api/auth";
/** The actions we use, by method; webauthn is not configured. Auth.js's own list is wider. */
const GET_ACTIONS = new Set(["providers", "session", "csrf", "signin", "signout", "callback", "verify-request", "error"]);
const POST_ACTIONS = new Set(["signin", "signout", "session", "callback"]);
/** Actions that take a provider id as their second segment; callback and a POST to signin need one. */
const WITH_PROVIDER = new Set(["signin", "callback"]);
const CALLBACK_URL_COOKIES = ["authjs.callback-url", "__Secure-authjs.callback-url"];

/** Auth.js's own test (assert.ts): a path on this site, or an absolute http(s) URL. */
function isCallbackUrl(value: string, origin: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

// Auth.js error codes are names like `Verification`; anything else is not one of ours.
const errorCode = z.string().regex(/^[A-Za-z]{1,64}$/);
const callbackUrl = (origin: string) => z.string().max(2_000).refine((v) => isCallbackUrl(v, origin));
/** A POST body as Auth.js reads it: an object whose callbackUrl and csrfToken, when present, are strings. */
const postBody = (origin: string) => z.looseObject({ callbackUrl: callbackUrl(origin).optional(), csrfToken: z.string().max(512).optional() });

function providerIds(): Set<string> {
  const enabled = enabledProviders();
  return new Set([...(enabled.email ? ["nodemailer"] : []), ...(enabled.github ? ["github"] : []), ...(enabled.google ? ["google"] : [])]);
}

/** 404 unless the path names an action (and provider) we serve for this method. */
function knownAction(pathname: string, method: string): boolean {
  if (!pathname.startsWith(`${BASE_PATH}/`)) return false;
  const [action, provider, ...rest] = pathname.slice(BASE_PATH.length).split("/").filter(Boolean);
  if (!action || rest.length > 0) return false;
  if (!(method === "POST" ? POST_ACTIONS : GET_ACTIONS).has(action)) return false;
  if (provider === undefined) return action !== "callback" && !(action === "signin" && method === "POST");
  if (!WITH_PROVIDER.has(action) || !providerIds().has(provider)) return false;
  // Auth.js starts only an OAuth sign-in at signin/<provider>; email links are asked for by our action.
  return action === "callback" || provider !== "nodemailer";
}

/** The body Auth.js would parse (JSON or a urlencoded form), or undefined for anything else. */
function parsedBody(contentType: string, body: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  const text = new TextDecoder().decode(body);
  if (contentType.includes("application/json")) {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      return { ok: false };
    }
  }
  if (contentType.includes("application/x-www-form-urlencoded")) return { ok: true, value: Object.fromEntries(new URLSearchParams(text)) };
  return { ok: true, value: {} };
}

function answer(status: 400 | 404 | 405, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

/**
 * A 404, 405 or 400 for a request Auth.js would fail on, or null to hand it to Auth.js. `body` is the
 * POST body already read (within the form limit).
 */
export function refuseAuthRequest(request: Request, body?: Uint8Array): Response | null {
  const url = new URL(request.url);
  // Next answers HEAD with the GET handler; Auth.js supports only GET and POST.
  if (request.method !== "GET" && request.method !== "POST") return answer(405, "Only GET and POST.");
  if (!knownAction(url.pathname, request.method)) return answer(404, "Not found.");
  const origin = url.origin;
  const query = url.searchParams;
  if (!query.getAll("callbackUrl").every((v) => callbackUrl(origin).safeParse(v).success)) return answer(400, "Invalid callbackUrl.");
  if (!query.getAll("error").every((v) => errorCode.safeParse(v).success)) return answer(400, "Invalid error code.");
  const cookies = cookieValues(request.headers.get("cookie"), CALLBACK_URL_COOKIES);
  if (!cookies.every((v) => isCallbackUrl(v, origin))) return answer(400, "Invalid callback-url cookie.");
  if (url.pathname === EMAIL_CALLBACK && !emailLinkSchema.safeParse({ token: query.get("token"), email: query.get("email") }).success) {
    return answer(400, "This sign-in link is incomplete. Copy the whole address from the email.");
  }
  if (request.method === "POST") {
    const parsed = parsedBody(request.headers.get("content-type") ?? "", body ?? new Uint8Array(0));
    if (!parsed.ok) return answer(400, "The body is not valid JSON.");
    if (!postBody(origin).safeParse(parsed.value).success) return answer(400, "Invalid callbackUrl or csrfToken in the body.");
  }
  return null;
}

/** The values of the named cookies, decoded as Auth.js's cookie parser does. */
function cookieValues(header: string | null, names: string[]): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const pair of header.split(";")) {
    const at = pair.indexOf("=");
    if (at < 0 || !names.includes(pair.slice(0, at).trim())) continue;
    let value = pair.slice(at + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length > 1) value = value.slice(1, -1);
    try {
      values.push(decodeURIComponent(value));
    } catch {
      values.push(value);
    }
  }
  return values;
}
