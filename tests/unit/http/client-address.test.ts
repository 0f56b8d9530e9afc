import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { clientAddress, PEER_HEADER, peerHeaderValue } from "@/lib/http/client-address";
import { stampPeerAddresses } from "@/lib/http/peer-stamp";

const trusted = (value?: string) => parseEnv({ TRUSTED_PROXIES: value }).TRUSTED_PROXIES;

/** A request as the stamp leaves it: the socket's address, and what the client or proxies sent. */
function request(peer: string, forwardedFor?: string): Headers {
  const headers = new Headers({ [PEER_HEADER]: peerHeaderValue(peer) });
  if (forwardedFor !== undefined) headers.set("x-forwarded-for", forwardedFor);
  return headers;
}

describe("TRUSTED_PROXIES", () => {
  it("is none by default, a hop count, or a list of addresses and CIDR ranges", () => {
    expect(trusted()).toEqual({ kind: "none" });
    expect(trusted("0")).toEqual({ kind: "none" });
    expect(trusted("2")).toEqual({ kind: "hops", hops: 2 });
    expect(trusted("10.0.0.0/8, 127.0.0.1 ,::1/128")).toEqual({
      kind: "networks",
      networks: [
        { address: "10.0.0.0", prefix: 8, family: "ipv4" },
        { address: "127.0.0.1", prefix: 32, family: "ipv4" },
        { address: "::1", prefix: 128, family: "ipv6" },
      ],
    });
  });

  it.each(["nginx", "10.0.0.0/33", "10.0.0/8", "-1", "11", "10.0.0.1/8/2", "10.0.0.1,", "fe80::/129"])("refuses %j with a message naming the variable", (value) => {
    expect(() => trusted(value)).toThrow(/TRUSTED_PROXIES must be a number of proxy hops/);
  });
});

describe("clientAddress", () => {
  it("is the socket's address when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(clientAddress(request("203.0.113.5", "66.249.66.1"), trusted())).toBe("203.0.113.5");
    expect(clientAddress(request("::ffff:203.0.113.5"), trusted())).toBe("203.0.113.5");
  });

  it("is nothing without this process's stamp: a header a client sent, or none", () => {
    const forged = new Headers({ [PEER_HEADER]: `${"0".repeat(32)} 66.249.66.1`, "x-forwarded-for": "66.249.66.1" });
    expect(clientAddress(forged, trusted())).toBeNull();
    expect(clientAddress(new Headers({ "x-forwarded-for": "66.249.66.1" }), trusted("1"))).toBeNull();
  });

  it("with a hop count, is the entry the last trusted proxy appended; a forged entry further left never wins", () => {
    expect(clientAddress(request("10.0.0.2", "66.249.66.1, 203.0.113.5"), trusted("1"))).toBe("203.0.113.5");
    expect(clientAddress(request("10.0.0.2", "66.249.66.1, 203.0.113.5, 10.0.0.1"), trusted("2"))).toBe("203.0.113.5");
    // Fewer entries than hops: the request came by a shorter way; the leftmost is all there is.
    expect(clientAddress(request("10.0.0.2", "203.0.113.5"), trusted("3"))).toBe("203.0.113.5");
    expect(clientAddress(request("10.0.0.2", "junk, 203.0.113.5"), trusted("1"))).toBe("203.0.113.5");
    expect(clientAddress(request("10.0.0.2", "203.0.113.5, junk"), trusted("1"))).toBeNull();
  });

  it("with networks, is the rightmost entry that is not a trusted proxy", () => {
    const proxies = trusted("10.0.0.0/8, 2001:db8::/32");
    expect(clientAddress(request("10.0.0.2", "66.249.66.1, 203.0.113.5, 10.1.2.3"), proxies)).toBe("203.0.113.5");
    expect(clientAddress(request("2001:db8::1", "2606:4700::AbCd, 2001:0DB8:85a3::8a2e:370:7334"), proxies)).toBe("2606:4700::abcd");
    expect(clientAddress(request("203.0.113.9", "66.249.66.1"), proxies)).toBe("203.0.113.9");
    expect(clientAddress(request("10.0.0.2", "10.0.0.3"), proxies)).toBe("10.0.0.3");
    expect(clientAddress(request("10.0.0.2", "bad, 10.0.0.3"), proxies)).toBeNull();
  });
});

describe("the peer stamp", () => {
  it("gives every request a server accepts the socket's address, replacing one the client sent", async () => {
    stampPeerAddresses();
    stampPeerAddresses(); // twice is once
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      const headers = new Headers(Object.entries(req.headers).map(([k, v]) => [k, String(v)] as [string, string]));
      seen.push(`${clientAddress(headers, trusted())} ${clientAddress(headers, trusted("1"))}`);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await fetch(`http://127.0.0.1:${port}/`, { headers: { [PEER_HEADER]: peerHeaderValue("66.249.66.1"), "x-forwarded-for": "66.249.66.1, 203.0.113.5" } });
      await fetch(`http://127.0.0.1:${port}/`);
    } finally {
      server.close();
    }
    expect(seen).toEqual(["127.0.0.1 203.0.113.5", "127.0.0.1 127.0.0.1"]);
  });
});
