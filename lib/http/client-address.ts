import "server-only";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { BlockList, isIP } from "node:net";
import { env, type TrustedProxies } from "@/lib/env";

/**
 * The request header that carries the socket's address (the peer's), stamped by this server
 * process on every request it accepts (`stampPeerAddresses`): Next gives a proxy or a route
 * handler no socket, and keeps an X-Forwarded-For the client sent (docs/client-address.md).
 */
export const PEER_HEADER = "x-masthead-peer";

// A random key per process, so a header a client sends, or one stamped by another process, is
// never taken for this process's stamp. Shared by the proxy and route handler bundles.
function processKey(): Buffer {
  const g = globalThis as Record<symbol, Buffer | undefined>;
  return (g[Symbol.for("masthead.peer-key")] ??= randomBytes(16));
}

/** The header's value for a socket's address, as the stamp writes it. */
export function peerHeaderValue(address: string): string {
  return `${processKey().toString("hex")} ${address}`;
}

function stampedPeer(headers: Headers): string | null {
  const [key, address, ...rest] = (headers.get(PEER_HEADER) ?? "").split(" ");
  const expected = processKey();
  const given = Buffer.from(key ?? "", "hex");
  if (rest.length > 0 || !address || given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return address;
}

/** An IP address as one spelling (IPv4-mapped IPv6 as IPv4), or null when it is not one. */
function normalized(entry: string | undefined): string | null {
  const address = entry?.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  if (!address || address.length > 64) return null;
  const version = isIP(address);
  return version === 4 ? address : version === 6 ? address.toLowerCase() : null;
}

const blockLists = new WeakMap<object, BlockList>();
function trustedNetworks(trusted: Extract<TrustedProxies, { kind: "networks" }>): BlockList {
  let list = blockLists.get(trusted);
  if (!list) {
    list = new BlockList();
    for (const n of trusted.networks) list.addSubnet(n.address, n.prefix, n.family);
    blockLists.set(trusted, list);
  }
  return list;
}

/**
 * The client's address, the one place it is read (rate limits, crawler proof, checkout and
 * sign-in limits). With TRUSTED_PROXIES unset it is the socket's; with a hop count N, the Nth
 * X-Forwarded-For entry from the right (each trusted proxy appends the address it saw); with a
 * list of networks, the rightmost entry that is not one of them. Null when there is no stamp
 * (a request accepted before the stamp was installed) or the entry is not an address.
 */
export function clientAddress(headers: Headers, trusted: TrustedProxies = env().TRUSTED_PROXIES): string | null {
  const peer = normalized(stampedPeer(headers) ?? undefined);
  if (!peer || trusted.kind === "none") return peer;
  const chain = [...(headers.get("x-forwarded-for") ?? "").split(",").map((e) => e.trim()).filter(Boolean), peer];
  if (trusted.kind === "hops") return normalized(chain[Math.max(0, chain.length - 1 - trusted.hops)]);
  const networks = trustedNetworks(trusted);
  for (let i = chain.length - 1; i >= 0; i--) {
    const address = normalized(chain[i]);
    if (!address) return null;
    if (i === 0 || !networks.check(address, isIP(address) === 4 ? "ipv4" : "ipv6")) return address;
  }
  return null;
}

/**
 * A header the front proxy sets (the country a CDN names), or null: read only when TRUSTED_PROXIES
 * says a proxy stands in front and this request's socket is that proxy's (a hop count: any
 * stamped peer; a list: a peer in it). The proxy must set or strip the header on every request,
 * as it does X-Forwarded-For (docs/segments.md); a direct request's header is never read.
 */
export function trustedProxyHeader(headers: Headers, name: string, trusted: TrustedProxies = env().TRUSTED_PROXIES): string | null {
  if (trusted.kind === "none") return null;
  const peer = normalized(stampedPeer(headers) ?? undefined);
  if (!peer) return null;
  if (trusted.kind === "networks" && !trustedNetworks(trusted).check(peer, isIP(peer) === 4 ? "ipv4" : "ipv6")) return null;
  return headers.get(name);
}
