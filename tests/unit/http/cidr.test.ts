import { describe, expect, it } from "vitest";
import { addressNumber, buildRangeIndex, parseCidr, type CidrRange } from "@/lib/http/cidr";

const range = (text: string): CidrRange => {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.range;
};

describe("parseCidr", () => {
  it.each([
    ["192.0.2.0/24", "192.0.2.0/24", 0xc0000200n, 0xc00002ffn],
    ["0.0.0.0/0", "0.0.0.0/0", 0n, 0xffffffffn],
    ["203.0.113.7/32", "203.0.113.7/32", 0xcb007107n, 0xcb007107n],
    ["203.0.113.7", "203.0.113.7/32", 0xcb007107n, 0xcb007107n],
    ["10.0.0.2/31", "10.0.0.2/31", 0x0a000002n, 0x0a000003n],
    [" 172.16.0.0/12 ", "172.16.0.0/12", 0xac100000n, 0xac1fffffn],
  ])("IPv4 %s", (input, text, first, last) => {
    expect(range(input)).toEqual({ family: 4, first, last, text });
  });

  it.each([
    ["2001:db8::/32", "2001:db8::/32", 0x20010db8n << 96n, (0x20010db8n << 96n) | ((1n << 96n) - 1n)],
    ["::/0", "::/0", 0n, (1n << 128n) - 1n],
    ["2001:DB8:0:0:0:0:0:1/128", "2001:db8::1/128", (0x20010db8n << 96n) | 1n, (0x20010db8n << 96n) | 1n],
    ["2001:db8:1:2::/64", "2001:db8:1:2::/64", (0x20010db8n << 96n) | (1n << 80n) | (2n << 64n), (0x20010db8n << 96n) | (1n << 80n) | (2n << 64n) | ((1n << 64n) - 1n)],
    ["fe80::/127", "fe80::/127", 0xfe80n << 112n, (0xfe80n << 112n) | 1n],
    ["::ffff:0:0/96", "::ffff:0:0/96", 0xffffn << 32n, (0xffffn << 32n) | 0xffffffffn],
  ])("IPv6 %s", (input, text, first, last) => {
    expect(range(input)).toEqual({ family: 6, first, last, text });
  });

  it.each([
    ["192.0.2.1/24", /bits set past its prefix: did you mean 192\.0\.2\.0\/24/],
    ["2001:db8::1/32", /did you mean 2001:db8::\/32/],
    ["192.0.2.0/33", /from 0 to 32/],
    ["2001:db8::/129", /from 0 to 128/],
    ["192.0.2.0/-1", /from 0 to 32/],
    ["192.0.2.0/", /from 0 to 32/],
    ["192.0.2.0/24/8", /not an IPv4 or IPv6 range/],
    ["192.0.2/24", /not an IPv4 or IPv6 range/],
    ["256.0.0.0/8", /not an IPv4 or IPv6 range/],
    ["example.org", /not an IPv4 or IPv6 range/],
    ["fe80::1%eth0/128", /not an IPv4 or IPv6 range/],
    ["", /not an IPv4 or IPv6 range/],
  ])("refuses %j", (input, message) => {
    const parsed = parseCidr(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  it("reads an IPv4-mapped IPv6 address as the IPv4 one, and an embedded IPv4 tail in IPv6", () => {
    expect(addressNumber("::ffff:192.0.2.9")).toEqual({ family: 4, value: 0xc0000209n });
    expect(addressNumber("64:ff9b::192.0.2.9")).toEqual({ family: 6, value: (0x64n << 112n) | (0xff9bn << 96n) | 0xc0000209n });
    expect(addressNumber("not-an-address")).toBeNull();
  });
});

describe("buildRangeIndex", () => {
  const index = buildRangeIndex([
    { range: range("10.0.0.0/8"), owner: "wide" },
    { range: range("10.1.0.0/16"), owner: "narrow" },
    { range: range("192.0.2.0/24"), owner: "library" },
    { range: range("192.0.2.128/25"), owner: "library" },
    { range: range("0.0.0.0/32"), owner: "zero" },
    { range: range("255.255.255.255/32"), owner: "top" },
    { range: range("2001:db8::/32"), owner: "v6" },
    { range: range("2001:db8:ffff::/48"), owner: "v6-inner" },
    { range: range("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"), owner: "v6-top" },
  ]);

  it.each([
    ["10.0.0.0", ["wide"]],
    ["10.0.255.255", ["wide"]],
    ["10.1.0.0", ["wide", "narrow"]],
    ["10.1.255.255", ["wide", "narrow"]],
    ["10.2.0.0", ["wide"]],
    ["10.255.255.255", ["wide"]],
    ["11.0.0.0", []],
    ["9.255.255.255", []],
    ["192.0.2.200", ["library"]],
    ["192.0.3.0", []],
    ["0.0.0.0", ["zero"]],
    ["0.0.0.1", []],
    ["255.255.255.255", ["top"]],
    ["255.255.255.254", []],
    ["::ffff:10.1.2.3", ["wide", "narrow"]],
    ["2001:db8::1", ["v6"]],
    ["2001:db8:ffff:1::9", ["v6", "v6-inner"]],
    ["2001:db9::", []],
    ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", ["v6-top"]],
    ["::a00:1", []],
    ["garbage", []],
  ])("%s is held by %j", (address, owners) => {
    expect(index.lookup(address)).toEqual(owners);
  });

  it("answers 5,000 ranges by binary search: the same as a scan, fast", () => {
    const entries = Array.from({ length: 5_000 }, (_, i) => ({ range: range(`${10 + (i % 200)}.${(i * 7) % 256}.${i % 256}.0/24`), owner: i }));
    const big = buildRangeIndex(entries);
    const probes = Array.from({ length: 2_000 }, (_, i) => `${10 + (i % 210)}.${(i * 7) % 256}.${(i * 3) % 256}.${i % 256}`);
    for (const probe of probes) {
      const value = addressNumber(probe)!.value;
      const scanned = [...new Set(entries.filter((e) => e.range.first <= value && value <= e.range.last).map((e) => e.owner))];
      expect(big.lookup(probe)).toEqual(scanned);
    }
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) big.lookup(probes[i % probes.length]!);
    // ~1 µs a lookup on this machine; a scan of 5,000 ranges is two orders slower.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
