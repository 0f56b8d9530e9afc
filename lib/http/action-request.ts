import { boundArgumentsField, isPlainActionArguments } from "./action-reply";
import { limitedBody } from "./limited-body";

/*
 * Next treats a POST to a page as a server action when it carries a `Next-Action` header or a
 * multipart body, and answers 500 when that body does not parse ("Failed to parse body as
 * FormData", "Unexpected end of form", a JSON error) or when React cannot resolve the arguments.
 * The proxy calls this for exactly those requests (its matcher selects them by header), so the
 * bad ones get a 400 (or a 413) before Next reads the body. Unknown action ids are Next's to
 * answer (404), also before it reads the body.
 */

/** Must match `experimental.serverActions.bodySizeLimit` in next.config.js ("1mb"). */
export const SERVER_ACTION_BODY_LIMIT = 1024 * 1024;

const MPA_REF = "$ACTION_REF_";

/** A plain-text 400 that no cache keeps. */
export function badRequest(message: string): Response {
  return new Response(`${message}\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

/**
 * Next's CSRF check for actions, done first: the Origin, when sent, must name the host the request
 * came to (X-Forwarded-Host, else Host). Next itself answers a mismatch with a 500 and throws on an
 * Origin that is not a URL.
 */
function originProblem(headers: Headers): Response | undefined {
  const origin = headers.get("origin");
  if (origin === null) return undefined;
  let originHost: string;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    return badRequest("Malformed Origin header.");
  }
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  if (originHost === host) return undefined;
  return new Response("Cross-origin server action refused.\n", { status: 403, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

/** A multipart body as FormData, or null when it is not one (no boundary, a truncated or foreign body). */
async function multipartForm(contentType: string, body: Uint8Array<ArrayBuffer>): Promise<FormData | null> {
  if (!/;\s*boundary=/i.test(contentType)) return null;
  return new Response(body, { headers: { "content-type": contentType } }).formData().catch(() => null);
}

/** A no-JavaScript form post: every bound action's descriptor and arguments must be well formed. */
function isWellFormedMpaForm(form: FormData): boolean {
  for (const key of form.keys()) {
    if (!key.startsWith(MPA_REF)) continue;
    const prefix = `$ACTION_${key.slice(MPA_REF.length)}:`;
    const descriptor = form.getAll(`${prefix}0`);
    if (descriptor.length !== 1 || typeof descriptor[0] !== "string") return false;
    const argumentsField = boundArgumentsField(prefix, descriptor[0]);
    if (argumentsField === false) return false;
    if (argumentsField === null) continue;
    const args = form.get(argumentsField);
    if (typeof args !== "string" || !isPlainActionArguments(args)) return false;
  }
  return true;
}

/**
 * A 400, 403 or 413 for a POST that Next would take for a server action but that is not a well-formed
 * one; undefined to let it through. Reads the body (within the action limit): the proxy is handed
 * a copy, and Next keeps the original for the page.
 */
export async function refuseMalformedAction(request: Request): Promise<Response | undefined> {
  if (request.method !== "POST") return undefined;
  const actionId = request.headers.get("next-action");
  const contentType = request.headers.get("content-type") ?? "";
  const multipart = contentType.startsWith("multipart/form-data");
  // Next's router sends `RSC` only on GETs; on a POST it can make Next serve a prerendered page
  // where it expects a flight response, a 500.
  if (request.headers.has("rsc")) return badRequest("A router (RSC) request is a GET.");
  if (actionId === null && !multipart) return undefined;
  const crossOrigin = originProblem(request.headers);
  if (crossOrigin) return crossOrigin;
  // Next answers these without reading the body: a urlencoded post with an action id (404).
  if (actionId !== null && contentType === "application/x-www-form-urlencoded") return undefined;
  const body = await limitedBody(request, SERVER_ACTION_BODY_LIMIT);
  if (body instanceof Response) return body;
  if (!multipart) {
    return isPlainActionArguments(new TextDecoder().decode(body)) ? undefined : badRequest("Malformed server action arguments.");
  }
  const form = await multipartForm(contentType, body);
  if (!form) return badRequest("The body is not multipart/form-data.");
  if (actionId === null) return isWellFormedMpaForm(form) ? undefined : badRequest("Malformed form action.");
  const root = form.get("0");
  return typeof root === "string" && isPlainActionArguments(root) ? undefined : badRequest("Malformed server action arguments.");
}
