import { createHmac, timingSafeEqual } from "node:crypto";
import type { z } from "zod";

/** `payload.signature`, both base64url; HMAC-SHA256 under the given key. */
export function sign(payload: string, key: Buffer): string {
  const body = Buffer.from(payload, "utf8").toString("base64url");
  return `${body}.${createHmac("sha256", key).update(body).digest("base64url")}`;
}

/** The payload if the signature verifies under the key, otherwise null. Never throws. */
export function verify(value: string, key: Buffer): string | null {
  const dot = value.indexOf(".");
  if (dot <= 0 || dot !== value.lastIndexOf(".")) return null;
  const body = value.slice(0, dot);
  // Compared as text, not decoded: base64url decoding ignores stray characters and a last
  // character's spare bits, so another spelling of the same bytes must not verify too.
  const given = Buffer.from(value.slice(dot + 1), "utf8");
  const expected = Buffer.from(createHmac("sha256", key).update(body).digest("base64url"), "utf8");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return Buffer.from(body, "base64url").toString("utf8");
}

/** The payload's JSON if the signature verifies and it has the schema's shape, otherwise null. Never throws. */
export function verifyJson<T>(value: string, key: Buffer, schema: z.ZodType<T>): T | null {
  const text = verify(value, key);
  if (text === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
