/**
 * Whether a request is a prefetch (Next's router, or the browser's speculative loading).
 * A prefetch never spends a meter credit and never receives the locked part. Headers can be
 * forged, but claiming to be a prefetch can only lower what a reader receives.
 */
export function isPrefetch(headers: Headers): boolean {
  if (headers.has("next-router-prefetch")) return true;
  const purpose = `${headers.get("purpose") ?? ""} ${headers.get("sec-purpose") ?? ""} ${headers.get("x-purpose") ?? ""}`;
  return /prefetch|prerender/i.test(purpose);
}
