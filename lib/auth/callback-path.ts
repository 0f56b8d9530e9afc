import { z } from "zod";

const BASE = "http://callback.invalid";

/**
 * Where to send a reader after signing in: a path on this site only. Another host, a
 * protocol-relative `//host`, a backslash or control-character trick falls back to `fallback`.
 */
export function safeCallbackPath(value: unknown, fallback = "/"): string {
  const parsed = z.string().max(2_000).safeParse(value);
  if (!parsed.success) return fallback;
  const path = parsed.data;
  if (!path.startsWith("/") || path.startsWith("//") || /[\\\u0000-\u001f]/.test(path)) return fallback;
  try {
    const url = new URL(path, BASE);
    return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : fallback;
  } catch {
    return fallback;
  }
}
