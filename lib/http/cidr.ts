import { isIP } from "node:net";

/** A CIDR range as numbers: IPv4 in 32 bits, IPv6 in 128, both as bigint so one code path serves. */
export interface CidrRange {
  family: 4 | 6;
  first: bigint;
  last: bigint;
  /** The canonical spelling: the network address and the prefix. */
  text: string;
}

export type CidrParse = { ok: true; range: CidrRange } | { ok: false; message: string };

const BITS = { 4: 32, 6: 128 } as const;

/** An address as a number and its family, or null when it is not an IP address. IPv4-mapped IPv6 counts as IPv4. */
export function addressNumber(address: string): { family: 4 | 6; value: bigint } | null {
  const plain = address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  const version = isIP(plain);
  if (version === 4) return { family: 4, value: ipv4Number(plain) };
  if (version === 6) return { family: 6, value: ipv6Number(plain) };
  return null;
}

function ipv4Number(address: string): bigint {
  return address.split(".").reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
}

function ipv6Number(address: string): bigint {
  // isIP has vouched for the spelling: expand "::" and a dotted IPv4 tail into eight groups.
  let text = address.toLowerCase().replace(/%.*$/, "");
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const v4 = ipv4Number(tail[1]!);
    text = `${text.slice(0, -tail[1]!.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, rest] = text.includes("::") ? text.split("::") : [text, null];
  const left = head ? head.split(":") : [];
  const right = rest ? rest.split(":") : [];
  const groups = rest === null ? left : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function spell(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => ((value >> s) & 0xffn).toString()).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  // The longest run of two or more zero groups becomes "::" (RFC 5952).
  let best = { at: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > best.length && j - i >= 2) best = { at: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.at === -1) return groups.join(":");
  return `${groups.slice(0, best.at).join(":")}::${groups.slice(best.at + best.length).join(":")}`;
}

/**
 * Parses "address/prefix" (an address alone is a single host). The address must be the
 * network's first (no bits set past the prefix), so a typo is not silently widened or narrowed.
 */
export function parseCidr(input: string): CidrParse {
  const text = input.trim();
  const [address = "", prefixText, ...extra] = text.split("/");
  const parsed = addressNumber(address);
  if (!parsed || extra.length > 0 || address.includes("%")) return { ok: false, message: `"${text}" is not an IPv4 or IPv6 range (like 192.0.2.0/24 or 2001:db8::/32).` };
  const bits = BITS[parsed.family];
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return { ok: false, message: `"${text}": the prefix after "/" must be a number from 0 to ${bits}.` };
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return { ok: false, message: `"${text}": the prefix after "/" must be a number from 0 to ${bits}.` };
  const hostBits = BigInt(bits - prefix);
  const hostMask = (1n << hostBits) - 1n;
  if ((parsed.value & hostMask) !== 0n) {
    const network = spell(parsed.family, parsed.value & ~hostMask);
    return { ok: false, message: `"${text}" has bits set past its prefix: did you mean ${network}/${prefix}?` };
  }
  return { ok: true, range: { family: parsed.family, first: parsed.value, last: parsed.value | hostMask, text: `${spell(parsed.family, parsed.value)}/${prefix}` } };
}

/** Disjoint segments of the address space, each with who owns it, sorted by their first address. */
interface Segment<T> {
  first: bigint;
  last: bigint;
  owners: T[];
}

export interface RangeIndex<T> {
  /** Everyone whose ranges hold the address (in the order they were given), or none. */
  lookup(address: string): T[];
  /** How many disjoint segments the index holds (for the docs' figures and tests). */
  readonly segments: number;
}

/**
 * A sorted index of ranges for binary search: overlapping ranges are cut into disjoint
 * segments, each naming every owner that covers it, so a lookup is O(log n) whatever overlaps.
 */
export function buildRangeIndex<T>(entries: Array<{ range: CidrRange; owner: T }>): RangeIndex<T> {
  const byFamily = { 4: segmentsOf(entries.filter((e) => e.range.family === 4)), 6: segmentsOf(entries.filter((e) => e.range.family === 6)) };
  return {
    lookup(address) {
      const parsed = addressNumber(address);
      if (!parsed) return [];
      const segments = byFamily[parsed.family];
      let lo = 0;
      let hi = segments.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const s = segments[mid]!;
        if (parsed.value < s.first) hi = mid - 1;
        else if (parsed.value > s.last) lo = mid + 1;
        else return s.owners;
      }
      return [];
    },
    segments: byFamily[4].length + byFamily[6].length,
  };
}

function segmentsOf<T>(entries: Array<{ range: CidrRange; owner: T }>): Segment<T>[] {
  // A sweep over the ranges' edges: at each edge the set of covering entries changes.
  const edges: Array<{ at: bigint; entry: number; opens: boolean }> = [];
  entries.forEach((e, i) => {
    edges.push({ at: e.range.first, entry: i, opens: true }, { at: e.range.last + 1n, entry: i, opens: false });
  });
  edges.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const open = new Set<number>();
  const segments: Segment<T>[] = [];
  for (let i = 0; i < edges.length; ) {
    const at = edges[i]!.at;
    for (; i < edges.length && edges[i]!.at === at; i++) {
      if (edges[i]!.opens) open.add(edges[i]!.entry);
      else open.delete(edges[i]!.entry);
    }
    if (open.size === 0 || i === edges.length) continue;
    const owners = [...new Set([...open].sort((a, b) => a - b).map((k) => entries[k]!.owner))];
    segments.push({ first: at, last: edges[i]!.at - 1n, owners });
  }
  return segments;
}
