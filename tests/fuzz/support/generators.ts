import fc from "fast-check";

/** One generated HTTP request, sent byte for byte as described (see send.ts). */
export interface FuzzRequest {
  method: string;
  /** The raw request target: may hold broken escapes and bytes that are not UTF-8 (latin1 here). */
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
}

export const MB = 1024 * 1024;

/** Every cookie the app or Auth.js sets (grep cookies.set, *_COOKIE, and Auth.js's defaults). */
export const COOKIE_NAMES = [
  "mh_meter",
  "mh_browser",
  "mh_checkout",
  "mh_signin_nonce",
  "authjs.session-token",
  "__Secure-authjs.session-token",
  "authjs.csrf-token",
  "authjs.callback-url",
  "authjs.pkce.code_verifier",
  "authjs.state",
  "authjs.nonce",
];

/** Query names the routes read, and some they do not. */
const QUERY_NAMES = ["callbackUrl", "error", "token", "email", "session_id", "plan", "return", "page", "q", "status", "days", "from", "done", "signedOut", "_rsc", "x"];

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PURGE"];

const latin1Text = (maxLength: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c === 0x7f ? 0x20 : c)), maxLength });

/** A path segment or query value as sent: junk, over-long, percent-broken, or not UTF-8. */
export const junkComponent: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 20 }).map((s) => encodeURIComponent(s)),
  fc.constantFrom("%", "%2", "%zz", "%E0%A4%A", "%ff%fe", "%C0%AF", "%00", "%0d%0a", "..", "%2e%2e", "%2F", "~", "[", "]", "'", "\"", "<script>", "$ACTION", "null", "-1", "0", "99999999999999999999"),
  fc.integer({ min: 1_000, max: 9_000 }).map((n) => "a".repeat(n)),
  latin1Text(40).map((s) => s.replace(/[\s#?/]/g, "")),
  fc.uint8Array({ minLength: 1, maxLength: 12 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("")),
);

const queryString: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES), junkComponent), junkComponent), { maxLength: 4 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}` : ""));

const cookieValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s)),
  fc.base64String({ maxLength: 120 }),
  fc.tuple(fc.base64String({ maxLength: 60 }), fc.base64String({ maxLength: 60 })).map(([a, b]) => `${a}.${b}`),
  fc.uuid(),
  fc.constantFrom("", "%", "%ff", "\"", "\"unterminated", "a|b", "v1.0.0", "0.0", "/", "//evil.example", "javascript:alert(1)", "http://[::1"),
  fc.integer({ min: 3_000, max: 4_000 }).map((n) => "z".repeat(n)),
  latin1Text(30).map((s) => s.replace(/[;,]/g, "")),
);

/** Forged and malformed values for the cookies we set, sometimes duplicated. */
export const cookieHeader: fc.Arbitrary<string | null> = fc.option(
  fc.array(fc.tuple(fc.constantFrom(...COOKIE_NAMES), cookieValue), { minLength: 1, maxLength: 4 }).map((pairs) => pairs.map(([n, v]) => `${n}=${v}`).join("; ")),
  { freq: 2 },
);

/** React reply shapes a server action is sent, and forged ones that reference nothing. */
export const actionArguments: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("[]", '["$K1"]', '["$undefined","$K1"]', '["$@1"]', '["$Q1"]', '["$F1"]', '["$T"]', '["$1:a:b"]', '["$"]', '["$n1x"]', '["$D"]', '"$K1"', "{}", "5", "null"),
  fc.json({ maxDepth: 3 }),
  fc.array(fc.oneof(fc.string({ maxLength: 8 }).map((s) => `$${s}`), fc.string({ maxLength: 8 })), { maxLength: 4 }).map((a) => JSON.stringify(a)),
  fc.integer({ min: 40, max: 2_000 }).map((depth) => "[".repeat(depth) + "]".repeat(depth)),
);

function multipart(boundary: string, fields: Array<[string, string]>): string {
  return fields.map(([name, value]) => `--${boundary}\r\ncontent-disposition: form-data; name="${name.replace(/"/g, "")}"\r\n\r\n${value}\r\n`).join("") + `--${boundary}--\r\n`;
}

const fieldName = fc.oneof(fc.constantFrom("0", "1_email", "email", "plan", "return", "callbackUrl", "csrfToken", "token", "nonce", "$ACTION_ID_0", "$ACTION_REF_1", "$ACTION_1:0", "$ACTION_1:1", "$ACTION_KEY"), fc.string({ maxLength: 10 }));
const fieldValue = fc.oneof(fc.string({ maxLength: 30 }), actionArguments, junkComponent);

type Body = { contentType: string | null; body: Buffer | null };

/** Malformed, oversized and mismatched bodies, each with the content type it claims. */
export const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Body>({ contentType: null, body: null }) },
  fc.json({ maxDepth: 3 }).map((json) => ({ contentType: "application/json", body: Buffer.from(json) })),
  fc.string({ maxLength: 60 }).map((s) => ({ contentType: "application/json", body: Buffer.from(`{"${s}`) })),
  // JSON declared, a form sent.
  fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 5 }).map((f) => ({ contentType: "application/json", body: Buffer.from(new URLSearchParams(f).toString()) })),
  fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 5 }).map((f) => ({ contentType: "application/x-www-form-urlencoded", body: Buffer.from(new URLSearchParams(f).toString()) })),
  fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 5 }).map((f) => ({ contentType: "multipart/form-data; boundary=fuzzboundary", body: Buffer.from(multipart("fuzzboundary", f)) })),
  // Multipart with no boundary, with another boundary than the body's, or not multipart at all.
  fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 3 }).map((f) => ({ contentType: "multipart/form-data", body: Buffer.from(multipart("b", f)) })),
  fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 3 }).map((f) => ({ contentType: "multipart/form-data; boundary=other", body: Buffer.from(multipart("b", f)) })),
  fc.string({ maxLength: 60 }).map((s) => ({ contentType: "multipart/form-data; boundary=x", body: Buffer.from(`--x\r\n${s}`) })),
  actionArguments.map((a) => ({ contentType: "text/plain;charset=UTF-8", body: Buffer.from(a) })),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ contentType: "application/octet-stream", body: Buffer.from(bytes) })),
  fc.uint8Array({ maxLength: 100 }).map((bytes) => ({ contentType: "application/x-www-form-urlencoded", body: Buffer.from(bytes) })),
  fc.constantFrom("application/json", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "text/plain").map((contentType) => ({ contentType, body: Buffer.alloc(MB) })),
  fc.constant<Body>({ contentType: "application/json", body: Buffer.alloc(MB + 1, "a") }),
);

const actionId = fc.oneof(fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 42, maxLength: 42 }), fc.constantFrom("", "0", "x".repeat(42), "toString", "__proto__"), fc.string({ maxLength: 50 }));

/** Hostile headers: subrequest loops, router headers, unknown action ids, junk signatures. */
export const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      "x-middleware-subrequest": fc.constantFrom("middleware:middleware:middleware:middleware:middleware", "proxy:proxy:proxy:proxy:proxy", "src/middleware", "pages/_middleware"),
      rsc: fc.constantFrom("1", "0", "junk"),
      "next-router-prefetch": fc.constantFrom("1", "2"),
      "next-router-state-tree": fc.oneof(fc.constantFrom("%5B%22%22%5D", "junk", "%", "[]"), fc.json({ maxDepth: 2 }).map(encodeURIComponent)),
      "next-action": actionId,
      "next-url": junkComponent,
      "stripe-signature": fc.oneof(fc.constantFrom("t=1,v1=x", "t=,v1=", "v1=" + "a".repeat(64), "t=99999999999999999999,v1=00"), latin1Text(60)),
      origin: fc.constantFrom("null", "http://evil.example", "http://127.0.0.1", "junk"),
      "x-forwarded-for": fc.constantFrom("1.2.3.4", "junk", ", ,", "::1, 10.0.0.1"),
      // The server's own stamp of the socket's address, forged (the server replaces it).
      "x-masthead-peer": fc.constantFrom("junk", `${"0".repeat(32)} 66.249.66.1`, " ", "zz 1.2.3.4 5"),
      "x-forwarded-host": fc.constantFrom("evil.example", "", "a".repeat(300)),
      "sec-fetch-site": fc.constantFrom("cross-site", "same-origin", "none"),
      purpose: fc.constantFrom("prefetch"),
      range: fc.constantFrom("bytes=0-0", "bytes=junk"),
      accept: fc.constantFrom("text/x-component", "application/json", "*/*", "junk"),
      "if-none-match": fc.constantFrom("\"x\"", "*"),
    },
    { requiredKeys: [] },
  )
  .map((headers) => Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>);

export const method = fc.oneof({ weight: 3, arbitrary: fc.constantFrom("GET", "POST") }, fc.constantFrom(...METHODS));

/**
 * A request to one of `paths` with junk in every other place; `headers` replace generated ones
 * (an action's id, an admin's session), `methods` the generated method.
 */
export function requestTo(paths: fc.Arbitrary<string>, options: { headers?: Record<string, string>; methods?: fc.Arbitrary<string> } = {}): fc.Arbitrary<FuzzRequest> {
  const parts = { method: options.methods ?? method, path: paths, query: queryString, cookie: cookieHeader, body, hostile: hostileHeaders, extra: fc.constant(options.headers ?? {}) };
  return fc.record(parts).map(({ method, path, query, cookie, body, hostile, extra }) => {
    const headers: Record<string, string> = { ...hostile };
    if (cookie) headers.cookie = cookie;
    Object.assign(headers, extra);
    const sendsBody = body.body !== null && method !== "GET" && method !== "HEAD";
    if (sendsBody && body.contentType) headers["content-type"] = body.contentType;
    return { method, path: path + query, headers, body: sendsBody ? body.body : null };
  });
}

/** Values for the admin forms: every one is refused by the field's schema (a letter where a number goes, too long, not a choice). */
export const invalidFieldValue: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 700, max: 3_000 }).map((n) => "x".repeat(n)),
  fc.string({ minLength: 1, maxLength: 20 }).map((s) => `${s}%\u0000${"é".repeat(700)}`),
);
