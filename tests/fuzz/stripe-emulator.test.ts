import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startStripeEmulator, type StripeEmulator } from "@/tools/stripe-emulator";
import { routes } from "@/tools/stripe-emulator/routes";
import { junkComponent, method, MB, type FuzzRequest } from "./support/generators";
import { describe as describeRequest, sendAll } from "./support/send";
import { FUZZ_PORT } from "./support/stack";

const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

/** `/v1/customers/:id` back from a route's pattern, its parameters filled with real-looking ids and junk. */
function pathsOf(pattern: RegExp): fc.Arbitrary<string> {
  const parts = pattern.source.replace(/^\^/, "").replace(/\/\?\$$/, "").split("([^/]+)");
  const id = fc.oneof(fc.constantFrom("cus_1", "sub_1", "price_1", "prod_1", "cs_test_1", "in_1", "evt_1", "we_1"), junkComponent);
  return fc.tuple(...parts.slice(1).map(() => id)).map((ids) => parts.map((p, i) => p.replace(/\\/g, "") + (ids[i] ?? "")).join(""));
}

const param = fc.oneof(
  fc.constantFrom("email", "customer", "price", "items[0][price]", "line_items[0][quantity]", "metadata[a]", "expand[]", "limit", "starting_after", "mode", "success_url", "query", "unit_amount", "recurring[interval]", "cancel_at_period_end"),
  fc.constantFrom("a[b][c][d][e]", "items[99999999][price]", "[", "]", "a]]", "expand[0][1]", "__proto__[x]", "constructor[prototype][x]"),
  fc.string({ maxLength: 12 }),
);
const value = fc.oneof(fc.string({ maxLength: 20 }), junkComponent, fc.constantFrom("-1", "1e999", "true", "null", "", "999999999999999999999"));
const form = fc.array(fc.tuple(param, value), { maxLength: 6 }).map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c))}`).join("&"));
const emulatorBody = fc.oneof(
  form.map((text) => ({ type: "application/x-www-form-urlencoded", body: Buffer.from(text) })),
  fc.json({ maxDepth: 2 }).map((json) => ({ type: "application/json", body: Buffer.from(json) })),
  form.map((text) => ({ type: "multipart/form-data", body: Buffer.from(text) })),
  fc.uint8Array({ maxLength: 100 }).map((bytes) => ({ type: "application/x-www-form-urlencoded", body: Buffer.from(bytes) })),
  fc.constant({ type: "application/x-www-form-urlencoded", body: Buffer.alloc(MB) }),
);
const authorization = fc.oneof({ weight: 4, arbitrary: fc.constant("Bearer sk_test_fuzz") }, fc.constantFrom("", "Bearer", "Bearer sk_live_x", "Basic %%%", "Basic " + Buffer.from("sk_test_x:").toString("base64")), fc.string({ maxLength: 20 }));

function requestTo(route: (typeof routes)[number]): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      method: fc.oneof({ weight: 3, arbitrary: fc.constant(route.method) }, method),
      path: pathsOf(route.pattern),
      query: fc.option(form, { freq: 2 }),
      body: fc.option(emulatorBody, { freq: 2 }),
      authorization,
      idempotencyKey: fc.option(fc.oneof(fc.uuid(), fc.constant("k".repeat(300))), { freq: 3 }),
      stripeVersion: fc.option(fc.constantFrom("2026-10-28.endive", "junk", ""), { freq: 3 }),
    })
    .map(({ method, path, query, body, authorization, idempotencyKey, stripeVersion }) => {
      const headers: Record<string, string> = { authorization };
      if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
      if (stripeVersion !== null) headers["stripe-version"] = stripeVersion;
      const sendsBody = body !== null && method !== "GET" && method !== "HEAD";
      if (sendsBody) headers["content-type"] = body.type;
      return { method, path: query ? `${path}?${query}` : path, headers, body: sendsBody ? body.body : null };
    });
}

describe("fuzz against the Stripe emulator's API", () => {
  let emulator: StripeEmulator;
  const log: string[] = [];
  beforeAll(async () => {
    emulator = await startStripeEmulator({ port: FUZZ_PORT + 5, log: (line) => log.push(line) });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  test("every API route answers generated requests with a 2xx, or a 4xx in Stripe's error shape, never a 5xx", async () => {
    const batches = routes.map((route, i) => ({ target: `${route.method} ${route.pattern.source}`, requests: fc.sample(requestTo(route), { seed: SEED + 50_000 + i, numRuns: RUNS }) }));
    const { findings, sent, results } = await sendAll(emulator.url, batches);
    expect(findings, `FUZZ_SEED=${SEED}: ${findings.slice(0, 5).map((f) => `${f.target}: ${f.problem}\n  ${f.request}`).join("\n")}`).toEqual([]);
    const misshapen = results.filter(({ request, answer }) => {
      if (answer.status === null || answer.status < 400 || request.method === "HEAD") return false;
      // Node's HTTP parser refuses a request it cannot read (bytes that are not URL-safe: 400; a head over 16 KB: 431) with no body, before any handler.
      if ((answer.status === 400 || answer.status === 431) && answer.body === "") return false;
      try {
        const error = (JSON.parse(answer.body) as { error?: { type?: unknown; message?: unknown } }).error;
        return typeof error?.type !== "string" || typeof error.message !== "string";
      } catch {
        return answer.body.length < 1024; // a long error body is cut at 1 KB here
      }
    });
    expect(misshapen.length, misshapen[0] && `${misshapen[0].answer.status} ${misshapen[0].answer.body.slice(0, 200)}\n${describeRequest(misshapen[0].request)}`).toBe(0);
    expect(log.filter((line) => /internal error/i.test(line))).toEqual([]);
    console.log(`stripe emulator: ${routes.length} routes, ${sent} requests`);
  });
});
