import { isIP } from "node:net";

/** The two lookups Google's verification needs; injectable so tests use no network. */
export interface DnsResolver {
  /** Host names for an address (PTR records). */
  reverse(address: string): Promise<string[]>;
  /** Addresses (A and AAAA) for a host name. */
  forward(host: string): Promise<string[]>;
}

/** The domains Google's own crawlers reverse-resolve to (Google's "Verifying Googlebot"). */
const GOOGLE_CRAWLER_DOMAINS = /\.(googlebot|google)\.com\.?$/i;

/** Whether a user agent claims to be Googlebot: only a claim, to be proven by DNS. */
export function claimsGooglebot(userAgent: string | null): boolean {
  return userAgent !== null && /\bGooglebot(?:-[A-Za-z]+)?\//.test(userAgent);
}

/** "::ffff:66.249.66.1" is 66.249.66.1; anything that is not an IP address is null. */
export function normaliseAddress(address: string | null): string | null {
  if (!address) return null;
  const plain = address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  return isIP(plain) ? plain.toLowerCase() : null;
}

export interface CrawlerVerifier {
  /** True only when the address reverse-resolves to a Google crawler host that resolves back to it. */
  isGooglebot(address: string): Promise<boolean>;
}

/**
 * Reverse-then-forward DNS, as Google documents: the PTR name must be under googlebot.com or
 * google.com, and that name must resolve back to the same address. Answers (both ways) are
 * cached per address, so a crawler costs DNS once an hour, and a flood of spoofers with random
 * addresses costs at most one lookup each (the cache is bounded). Any DNS failure is "no".
 */
export function createCrawlerVerifier(resolver: DnsResolver, options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}): CrawlerVerifier {
  const { ttlMs = 3_600_000, maxEntries = 10_000, now = Date.now } = options;
  const cache = new Map<string, { verdict: Promise<boolean>; expires: number }>();
  async function verify(address: string): Promise<boolean> {
    try {
      const hosts = (await resolver.reverse(address)).filter((h) => GOOGLE_CRAWLER_DOMAINS.test(h));
      for (const host of hosts) {
        const addresses = (await resolver.forward(host.replace(/\.$/, ""))).map((a) => normaliseAddress(a));
        if (addresses.includes(address)) return true;
      }
      return false;
    } catch {
      return false;
    }
  }
  return {
    isGooglebot(raw) {
      const address = normaliseAddress(raw);
      if (!address) return Promise.resolve(false);
      const hit = cache.get(address);
      if (hit && hit.expires > now()) return hit.verdict;
      if (cache.size >= maxEntries) cache.clear();
      const verdict = verify(address);
      cache.set(address, { verdict, expires: now() + ttlMs });
      return verdict;
    },
  };
}
