// PostgreSQL stopped for 5 s and started again under reader load and webhooks, on a throw-away
// server (never CI's): 503 only while it is down, quick recovery, nothing counted or paid lost.
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { funnelEvents, userMeters } from "@/db/schema";
import { startFaultCluster, type FaultCluster } from "./support/fault-cluster";
import { startReaders, summarize } from "./support/readers";
import { buySubscriptions, compareWithStripe, settle, storm } from "./support/storm";

const DOWN_MS = 5_000;
// A request may wait this long for a connection (db/client.ts connect_timeout) and then some.
const POOL_TIMEOUT_MS = 5_000;
const RECOVERY_MS = 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let fc: FaultCluster;
beforeAll(async () => {
  fc = await startFaultCluster({ readersPerKind: 10, throwawayPostgres: true });
});
afterAll(async () => {
  await fc?.stop();
});

it("PostgreSQL restarted under reader load: 503 only while it is down, recovered within 5 s, no meter count or webhook effect lost", async () => {
  const pg = fc.postgres!;
  const readers = startReaders(fc.cluster.url, fc.readers, fc.articles, { pauseMs: 50 });
  // /api/health always asks the database: it shows when the servers saw it go and come back.
  const health: Array<{ at: number; status: number }> = [];
  let checking = true;
  const checks = (async () => {
    while (checking) {
      const at = Date.now() - readers.startedAt;
      const status = await fetch(`${fc.cluster.url}/api/health`).then((r) => r.status, () => 0);
      health.push({ at, status });
      await sleep(200);
    }
  })();
  const { subs, prices } = await buySubscriptions(fc, 10, "restart");
  // Subscription changes keep coming while the database is down: their webhooks fail and Stripe retries.
  const changes = storm(fc, subs, prices, 300);
  await sleep(4_000);
  const downAt = Date.now() - readers.startedAt;
  await pg.stop();
  await sleep(DOWN_MS);
  await pg.start(); // resolves once PostgreSQL accepts connections
  const upAt = Date.now() - readers.startedAt;
  await sleep(RECOVERY_MS + 8_000);
  await changes;
  const reads = await readers.stop();
  checking = false;
  await checks;
  await settle(fc, 300_000);
  if (process.env.FAULTS_DUMP) {
    const fs = await import("node:fs");
    fs.writeFileSync(process.env.FAULTS_DUMP, JSON.stringify({ startedAt: readers.startedAt, downAt, upAt, reads, readers: fc.readers.map((r) => r.kind), output: fc.output.filter((l) => l.includes("503")) }));
    fs.copyFileSync(pg.logFile, `${process.env.FAULTS_DUMP}.pg.log`);
  }
  const lastFailure = Math.max(0, ...reads.filter((r) => r.status !== 200).map((r) => r.at + r.ms));
  console.log(`restart: down ${((upAt - downAt) / 1000).toFixed(1)} s, last 503 answered ${((lastFailure - upAt) / 1000).toFixed(1)} s after it was back; ${summarize(reads)}; during the outage: ${summarize(reads.filter((r) => r.at >= downAt && r.at < upAt))}`);

  // Never a 500, never a hang: each answer is the page or the 503 page, within the pool timeout.
  expect(reads.filter((r) => r.error || (r.status !== 200 && r.status !== 503))).toEqual([]);
  expect(Math.max(...reads.map((r) => r.ms))).toBeLessThan(POOL_TIMEOUT_MS + 1_000);
  expect(reads.filter((r) => r.status === 200 && !r.access)).toEqual([]);
  // The servers did lose the database (readers may not notice: much of what they read is cached).
  expect(health.filter((h) => h.at > downAt && h.at < upAt && h.status === 503).length).toBeGreaterThan(0);
  expect(health.filter((h) => h.at > upAt + RECOVERY_MS && h.status !== 200)).toEqual([]);
  // 503 only while it was down (a request that started just before the stop may fail just after it).
  const unavailable = reads.filter((r) => r.status === 503);
  expect(unavailable.filter((r) => r.at + r.ms < downAt || r.at > upAt + RECOVERY_MS)).toEqual([]);
  // Full recovery: from 5 s after it came back, every read is the page.
  expect(reads.filter((r) => r.at > upAt + RECOVERY_MS && r.status !== 200)).toEqual([]);

  // Every metered article a registered reader was shown in full is on that reader's meter.
  const shown = new Map<string, Set<number>>();
  const metered = new Set(fc.articles.filter((a) => a.access === "metered").map((a) => a.id));
  for (const r of reads) {
    const reader = fc.readers[r.reader]!;
    if (reader.kind !== "registered" || r.access !== "full" || !metered.has(r.articleId)) continue;
    if (!shown.has(reader.userId!)) shown.set(reader.userId!, new Set());
    shown.get(reader.userId!)!.add(r.articleId);
  }
  const meters = await fc.db.select().from(userMeters).where(inArray(userMeters.userId, [...shown.keys()]));
  const lost = [...shown].flatMap(([userId, ids]) => [...ids].filter((id) => !meters.find((m) => m.userId === userId)?.articleIds.includes(id)).map((id) => `${userId}:${id}`));
  expect(shown.size).toBeGreaterThan(0);
  expect(lost).toEqual([]);

  // Every page view the readers got is counted once in the funnel, outage or not (written once a second).
  await sleep(2_500);
  const [{ views } = { views: 0 }] = await fc.db
    .select({ views: sql<number>`coalesce(sum(${funnelEvents.count}), 0)::int` })
    .from(funnelEvents)
    .where(and(eq(funnelEvents.type, "article_view")));
  expect(views).toBe(reads.filter((r) => r.status === 200).length);

  // Webhooks that failed while it was down were retried and applied: the app agrees with Stripe.
  expect((await compareWithStripe(fc, "restart", 10)).problems).toEqual([]);
  expect(fc.emulatorLog.filter((line) => line.includes("gave up"))).toEqual([]);
});
