// Webhooks on a two-server cluster behind nginx: a storm, a server killed mid-webhook, a server
// told to stop while a webhook is in flight, and a server started while a migration runs.
import http from "node:http";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { stripeEvents } from "@/db/schema";
import { startAppServer } from "@/tools/cluster/app-server";
import { signPayload } from "@/tools/stripe-emulator";
import { readAccessLog } from "./support/access-log";
import { FAULTS_PORT, startFaultCluster, type FaultCluster } from "./support/fault-cluster";
import { startReaders, summarize } from "./support/readers";
import { buySubscriptions, compareWithStripe, listAll, settle, storm } from "./support/storm";

// CI runs the full 5,000; FAULTS_STORM_EVENTS=500 for a quick local run.
const STORM_EVENTS = Number(process.env.FAULTS_STORM_EVENTS ?? 5_000);
// Readers keep reading while the webhooks come (each pauses 100 ms between pages, as people do).
const READING = { pauseMs: 100 };
const MIGRATION_LOCK_ID = 7_210_457_311; // db/migrate.ts

let fc: FaultCluster;
// A test that stopped or killed a server starts it again, so the next one finds both.
afterEach(async () => {
  for (const server of fc.cluster.servers) if (!(await fetch(`${server.url}/api/health`).then((r) => r.ok, () => false))) await server.start();
});
beforeAll(async () => {
  const t0 = Date.now();
  fc = await startFaultCluster({ readersPerKind: 4 });
  console.log(`cluster up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});
afterAll(async () => {
  await fc?.stop();
});

const webhookRequests = () => readAccessLog(fc.cluster.nginx.accessLog).filter((r) => r.method === "POST" && r.path === "/api/stripe/webhook");
const serverAddress = (index: number) => `127.0.0.1:${fc.cluster.servers[index]!.port}`;

describe("webhooks across two servers", () => {
  it(`a storm of ${STORM_EVENTS} events with duplicates, reordering and delays ends where Stripe is, with none stuck`, async () => {
    const t0 = Date.now();
    const readers = startReaders(fc.cluster.url, fc.readers, fc.articles, READING);
    const buyers = Math.max(10, Math.round(STORM_EVENTS / 100));
    const { subs, prices } = await buySubscriptions(fc, buyers, "storm");
    const sofar = (await listAll(fc.api.events.list({ limit: 100 }))).length;
    await storm(fc, subs, prices, Math.max(0, STORM_EVENTS - sofar - Math.ceil(buyers / 10)));
    const generated = Date.now();
    await settle(fc, 420_000);
    const reads = await readers.stop();
    const check = await compareWithStripe(fc, "storm", buyers);
    const requests = webhookRequests();
    console.log(
      `storm: ${check.events} events made in ${((generated - t0) / 1000).toFixed(1)} s, all delivered ${((Date.now() - t0) / 1000).toFixed(1)} s after the start; ` +
        `${requests.length} webhook requests (server 1: ${requests.filter((r) => r.upstreams.at(-1)?.server === serverAddress(0)).length}, ` +
        `server 2: ${requests.filter((r) => r.upstreams.at(-1)?.server === serverAddress(1)).length}); readers meanwhile: ${summarize(reads)}`,
    );
    expect(check.problems).toEqual([]);
    expect(check.events).toBeGreaterThanOrEqual(STORM_EVENTS);
    // Both servers took their share, and the emulator never gave up on an event.
    for (const server of [0, 1]) expect(requests.filter((r) => r.upstreams.at(-1)?.server === serverAddress(server)).length).toBeGreaterThan(requests.length / 4);
    expect(fc.emulatorLog.filter((line) => line.includes("gave up"))).toEqual([]);
    expect(reads.filter((r) => r.status !== 200 || !r.access)).toEqual([]);
  });

  it("a server killed with SIGKILL mid-webhook: the cut deliveries are retried on the other server, the end state is Stripe's, no event applied twice", async () => {
    const before = webhookRequests().length;
    const readers = startReaders(fc.cluster.url, fc.readers, fc.articles, READING);
    const { subs, prices } = await buySubscriptions(fc, 20, "kill");
    const changes = storm(fc, subs, prices, 1_000);
    // Kill server 1 while the storm keeps both servers busy with webhooks.
    const deadline = Date.now() + 60_000;
    while (webhookRequests().slice(before).filter((r) => r.upstreams.at(-1)?.server === serverAddress(0)).length < 100) {
      if (Date.now() > deadline) throw new Error("server 1 got no webhooks");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const killedAt = Date.now();
    fc.cluster.servers[0]!.kill("SIGKILL");
    try {
      await fc.cluster.servers[0]!.exited();
      await changes;
      await settle(fc, 300_000);
    } finally {
      await readers.stop();
    }
    const reads = readers.reads;
    const check = await compareWithStripe(fc, "kill", 20);
    const requests = webhookRequests().slice(before);
    // Deliveries in flight on server 1 when it died: nginx answered 502 and did not replay the POST.
    const cut = requests.filter((r) => r.status === 502 && r.upstreams.length === 1 && r.upstreams[0]!.server === serverAddress(0));
    const afterKill = requests.filter((r) => r.at > killedAt + 1_000);
    console.log(
      `kill: ${cut.length} webhook deliveries cut by the SIGKILL (502, retried by Stripe); ${afterKill.filter((r) => r.status === 200).length} answered by server 2 afterwards; ` +
        `retried deliveries: ${fc.cluster.emulator.deliveries().filter((d) => d.attempts > 1).length}; readers meanwhile: ${summarize(reads)}`,
    );
    expect(cut.length).toBeGreaterThan(0);
    expect(afterKill.every((r) => r.status !== 200 || r.upstreams.at(-1)!.server === serverAddress(1))).toBe(true);
    expect(check.problems).toEqual([]);
    expect(fc.emulatorLog.filter((line) => line.includes("gave up"))).toEqual([]);
    // Readers never saw the kill: nginx passes a GET that failed on server 1 to server 2.
    expect(reads.filter((r) => r.status !== 200 || !r.access)).toEqual([]);
  });

  it("SIGTERM drains: a webhook still arriving when its server is told to stop is answered and applied, and the server then exits", async () => {
    const [template] = (await fc.api.events.list({ type: "customer.subscription.updated", limit: 1 })).data;
    const event = { ...template!, id: `evt_drain_${Date.now()}` };
    const payload = JSON.stringify(event);
    const server = fc.cluster.servers[1]!;
    const half = Math.floor(payload.length / 2);
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(`${server.url}/api/stripe/webhook`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(payload),
          "stripe-signature": signPayload(payload, fc.cluster.webhookSecret, Math.floor(Date.now() / 1000)),
        },
      });
      request.on("response", (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode!, body }));
      });
      request.on("error", reject);
      request.write(payload.slice(0, half));
      // The rest arrives after the server got SIGTERM.
      setTimeout(() => {
        server.kill("SIGTERM");
        setTimeout(() => request.end(payload.slice(half)), 1_000);
      }, 300);
    });
    const { status, body } = await answer;
    expect(status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ received: true, outcome: "processed" });
    expect(await server.exited()).toBe(143);
    const [stored] = await fc.db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id));
    expect(stored?.state).toBe("processed");
    // Meanwhile the site is served by the other server.
    expect((await fetch(`${fc.cluster.url}/api/health`)).status).toBe(200);
  });

  it("a server started while another holds the migration lock waits for the migration, then serves", async () => {
    const sql = postgres(fc.cluster.databaseUrl, { max: 1, onnotice: () => {} });
    const port = FAULTS_PORT + 8;
    try {
      const lock = await sql.reserve();
      await lock`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
      const output: string[] = [];
      const starting = startAppServer(port, fc.cluster.env, (line) => output.push(line));
      let healthyWhileLocked = false;
      const until = Date.now() + 8_000;
      while (Date.now() < until) {
        const health = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(1_000) }).catch(() => null);
        if (health?.ok) healthyWhileLocked = true;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(healthyWhileLocked).toBe(false);
      await lock`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
      lock.release();
      const server = await starting;
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
      await server.stop();
    } finally {
      await sql.end();
    }
  });
});
