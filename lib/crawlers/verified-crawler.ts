import "server-only";
import { env } from "@/lib/env";
import { clientAddress } from "@/lib/http/client-address";
import { systemResolver } from "./system-resolver";
import { claimsGooglebot, createCrawlerVerifier, type CrawlerVerifier } from "./verify-google";

// One verifier (and its cache) per process, shared by the proxy and the route handler bundles.
function verifier(): CrawlerVerifier {
  const g = globalThis as Record<symbol, CrawlerVerifier | undefined>;
  return (g[Symbol.for("masthead.crawler-verifier")] ??= createCrawlerVerifier(systemResolver()));
}

/**
 * Whether this request comes from a crawler the publisher chose to let read in full
 * (VERIFIED_CRAWLERS=google), proven by DNS from the client address (`clientAddress`: the
 * socket's, or what the trusted proxies in front saw). Off by default; a user agent or
 * a Referer alone proves nothing. Only requests claiming to be Googlebot pay for a lookup.
 */
export async function isVerifiedCrawler(headers: Headers): Promise<boolean> {
  if (!env().VERIFIED_CRAWLERS.includes("google") || !claimsGooglebot(headers.get("user-agent"))) return false;
  const address = clientAddress(headers);
  return address !== null && verifier().isGooglebot(address);
}
