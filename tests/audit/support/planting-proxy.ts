import http from "node:http";
import type { AddressInfo } from "node:net";

/** A planted leak: which requests it touches, and what it does to them (every matching rewrite applies, in order). */
export interface Plant {
  name: string;
  matches(request: http.IncomingMessage): boolean;
  /** Answers by itself (the upstream never sees the request)… */
  respond?: () => { status?: number; headers: Record<string, string>; body: string };
  /** …or rewrites the upstream's answer. */
  rewrite?: (answer: { headers: http.IncomingHttpHeaders; body: string }) => { headers: http.IncomingHttpHeaders; body: string };
}

/**
 * An HTTP proxy in front of the real site that plants leaks on purpose: the honest way to prove
 * the audit catches each kind, with nothing test-only built into the site itself. Without plants
 * it forwards every request and answer unchanged.
 */
export async function startPlantingProxy(upstream: string, plants: Plant[]): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(upstream);
  const server = http.createServer((req, res) => {
    const matching = plants.filter((p) => p.matches(req));
    const responder = matching.find((p) => p.respond);
    const rewriters = matching.filter((p) => p.rewrite);
    if (responder) {
      const answer = responder.respond!();
      res.writeHead(answer.status ?? 200, answer.headers).end(answer.body);
      return;
    }
    // The Host and Origin the browser sent go through unchanged: Next checks server actions against them.
    const headers = { ...req.headers, "accept-encoding": "identity" };
    const forward = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (up) => {
      if (rewriters.length === 0) {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      up.on("data", (c: Buffer) => chunks.push(c));
      up.on("end", () => {
        const { "content-length": _length, "transfer-encoding": _encoding, ...rest } = up.headers;
        const changed = rewriters.reduce((answer, p) => p.rewrite!(answer), { headers: rest as http.IncomingHttpHeaders, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(up.statusCode ?? 502, changed.headers).end(changed.body);
      });
    });
    forward.on("error", () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
