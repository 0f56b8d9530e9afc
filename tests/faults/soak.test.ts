// A soak: 200 concurrent readers (anonymous, registered, subscribers) for 60 s through nginx on
// two servers: every answer the page, and the servers' memory flat after warm-up.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFaultCluster, type FaultCluster } from "./support/fault-cluster";
import { residentBytes, startReaders, summarize } from "./support/readers";

const READERS = Number(process.env.FAULTS_SOAK_READERS ?? 200);
const SECONDS = Number(process.env.FAULTS_SOAK_SECONDS ?? 60);
const WARM_UP_SECONDS = Math.min(15, SECONDS / 4);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let fc: FaultCluster;
beforeAll(async () => {
  fc = await startFaultCluster({ readersPerKind: Math.ceil(READERS / 3) });
});
afterAll(async () => {
  await fc?.stop();
});

it(`a soak: ${READERS} readers for ${SECONDS} s on two servers, no errors, memory flat after warm-up`, async () => {
  const readers = startReaders(fc.cluster.url, fc.readers.slice(0, READERS), fc.articles);
  const rss = () => fc.cluster.servers.map((s) => residentBytes(s.pid()));
  await sleep(WARM_UP_SECONDS * 1_000);
  const warm = rss();
  // The peak over the rest of the run, sampled every second.
  const peak = [...warm];
  for (let t = WARM_UP_SECONDS; t < SECONDS; t++) {
    await sleep(1_000);
    rss().forEach((bytes, i) => (peak[i] = Math.max(peak[i]!, bytes)));
  }
  const end = rss();
  const reads = await readers.stop();
  const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
  const measured = reads.filter((r) => r.at >= WARM_UP_SECONDS * 1_000);
  console.log(
    `soak: ${summarize(reads)}; ${(measured.length / (SECONDS - WARM_UP_SECONDS)).toFixed(0)} req/s after warm-up; ` +
      `RSS after warm-up ${warm.map(mb).join(" / ")}, peak ${peak.map(mb).join(" / ")}, at the end ${end.map(mb).join(" / ")}`,
  );
  expect(reads.filter((r) => r.error || r.status !== 200 || !r.access)).toEqual([]);
  const kinds = new Set(reads.map((r) => fc.readers[r.reader]!.kind));
  expect([...kinds].sort()).toEqual(["anonymous", "registered", "subscriber"]);
  // Each server's memory at the end within 10 % of what it was after warm-up.
  end.forEach((bytes, i) => expect(bytes / warm[i]!).toBeLessThan(1.1));
});
