import { Resolver } from "node:dns/promises";
import type { DnsResolver } from "./verify-google";

/** The system's DNS, each query given up after 2 s: a slow resolver must not hold a reader's page. */
export function systemResolver(): DnsResolver {
  const dns = new Resolver({ timeout: 2_000, tries: 1 });
  return {
    reverse: (address) => dns.reverse(address),
    async forward(host) {
      const [v4, v6] = await Promise.all([dns.resolve4(host).catch(() => []), dns.resolve6(host).catch(() => [])]);
      return [...v4, ...v6];
    },
  };
}
