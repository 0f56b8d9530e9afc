import { describe, expect, it } from "vitest";
import { claimsGooglebot, createCrawlerVerifier, normaliseAddress, type DnsResolver } from "@/lib/crawlers/verify-google";

// A DNS of our own: no network in tests.
function fakeDns(ptr: Record<string, string[]>, a: Record<string, string[]>) {
  const calls: string[] = [];
  const resolver: DnsResolver = {
    async reverse(address) {
      calls.push(`PTR ${address}`);
      if (!ptr[address]) throw Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" });
      return ptr[address];
    },
    async forward(host) {
      calls.push(`A ${host}`);
      return a[host] ?? [];
    },
  };
  return { resolver, calls };
}

const GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

describe("verified crawlers: reverse-then-forward DNS", () => {
  const dns = fakeDns(
    {
      "66.249.66.1": ["crawl-66-249-66-1.googlebot.com."],
      "66.249.90.77": ["rate-limited-proxy-66-249-90-77.google.com"],
      "203.0.113.9": ["crawl-66-249-66-1.googlebot.com"], // a spoofer's own PTR claiming Google's name
      "198.51.100.4": ["googlebot.com.evil.example"],
      "2001:4860:4801:10::1": ["crawl-2001-4860-4801-10--1.googlebot.com"],
    },
    {
      "crawl-66-249-66-1.googlebot.com": ["66.249.66.1"],
      "rate-limited-proxy-66-249-90-77.google.com": ["66.249.90.77"],
      "googlebot.com.evil.example": ["198.51.100.4"],
      "crawl-2001-4860-4801-10--1.googlebot.com": ["2001:4860:4801:10::1"],
    },
  );
  const verifier = createCrawlerVerifier(dns.resolver);

  it("accepts an address whose Google host name resolves back to it (IPv4, IPv6, mapped IPv4)", async () => {
    expect(await verifier.isGooglebot("66.249.66.1")).toBe(true);
    expect(await verifier.isGooglebot("66.249.90.77")).toBe(true);
    expect(await verifier.isGooglebot("2001:4860:4801:10::1")).toBe(true);
    expect(await verifier.isGooglebot("::ffff:66.249.66.1")).toBe(true);
  });

  it("refuses a PTR that claims Google but does not resolve back, a look-alike domain, no PTR, and junk", async () => {
    expect(await verifier.isGooglebot("203.0.113.9")).toBe(false);
    expect(await verifier.isGooglebot("198.51.100.4")).toBe(false);
    expect(await verifier.isGooglebot("192.0.2.1")).toBe(false);
    expect(await verifier.isGooglebot("not-an-address")).toBe(false);
    expect(await verifier.isGooglebot("")).toBe(false);
  });

  it("asks DNS once per address while the answer is cached, and again after it expires", async () => {
    let clock = 0;
    const counted = fakeDns({ "66.249.66.1": ["crawl-66-249-66-1.googlebot.com"] }, { "crawl-66-249-66-1.googlebot.com": ["66.249.66.1"] });
    const cached = createCrawlerVerifier(counted.resolver, { ttlMs: 1_000, now: () => clock });
    await Promise.all([cached.isGooglebot("66.249.66.1"), cached.isGooglebot("66.249.66.1")]);
    await cached.isGooglebot("66.249.66.1");
    expect(counted.calls).toEqual(["PTR 66.249.66.1", "A crawl-66-249-66-1.googlebot.com"]);
    clock = 1_001;
    await cached.isGooglebot("66.249.66.1");
    expect(counted.calls).toHaveLength(4);
  });

  it("a DNS error is a no, never an exception", async () => {
    const broken = createCrawlerVerifier({ reverse: () => Promise.reject(new Error("ETIMEOUT")), forward: () => Promise.reject(new Error("x")) });
    expect(await broken.isGooglebot("66.249.66.1")).toBe(false);
  });
});

describe("the claim and the address", () => {
  it("only Googlebot's own user agents claim to be it", () => {
    expect(claimsGooglebot(GOOGLEBOT)).toBe(true);
    expect(claimsGooglebot("Googlebot-Image/1.0")).toBe(true);
    expect(claimsGooglebot("Mozilla/5.0 Chrome/131.0")).toBe(false);
    expect(claimsGooglebot(null)).toBe(false);
  });
  it("addresses are normalised or refused", () => {
    expect(normaliseAddress(" ::FFFF:66.249.66.1 ")).toBe("66.249.66.1");
    expect(normaliseAddress("2001:DB8::1")).toBe("2001:db8::1");
    expect(normaliseAddress("66.249.66.1, 10.0.0.1")).toBeNull();
  });
});

describe("VERIFIED_CRAWLERS", () => {
  it("is off by default, accepts google, and stops the server on anything else", async () => {
    const { parseEnv } = await import("@/lib/env");
    expect(parseEnv({}).VERIFIED_CRAWLERS).toEqual([]);
    expect(parseEnv({ VERIFIED_CRAWLERS: "Google" }).VERIFIED_CRAWLERS).toEqual(["google"]);
    expect(() => parseEnv({ VERIFIED_CRAWLERS: "bing" })).toThrow(/VERIFIED_CRAWLERS may only name google/);
  });
});
