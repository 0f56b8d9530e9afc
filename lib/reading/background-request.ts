/**
 * Whether a request is not a reader opening a page: a prefetch (Next's router, or the browser's
 * speculative loading) or a router data request (`RSC: 1`; our article pages are plain documents).
 * Such a request never spends a meter credit and never receives the locked part. Headers can be
 * forged, but claiming to be one of these can only lower what a reader receives.
 */
export function isBackgroundRequest(headers: Headers): boolean {
  if (headers.has("next-router-prefetch") || headers.get("rsc") === "1") return true;
  const purpose = `${headers.get("purpose") ?? ""} ${headers.get("sec-purpose") ?? ""} ${headers.get("x-purpose") ?? ""}`;
  return /prefetch|prerender/i.test(purpose);
}
