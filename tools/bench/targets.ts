// The bench's targets beside what one run measured: the gate against the static page of the same
// article (ratios within the run), memory on the engine the run used, and the webhook path (its
// targets are for PostgreSQL; on PGlite the figures are shown, not judged).
import type { MemoryFigures } from "./memory";

interface Figures {
  rps: number;
  p50: number;
  p99: number;
}
interface WebhookFigures {
  eps: number;
  p50: number;
  p99: number;
}

export const TARGETS = {
  gatedVsStatic: 0.75,
  gatedP99VsStatic: 1.5,
  pgliteFirstStartMb: 500,
  pgliteIdleMb: 250,
  pgliteUnderLoadMb: 450,
  postgresUnderLoadMb: 300,
  newEventsPerSecond: 300,
  duplicatesPerSecond: 1_000,
  webhookP99Ms: 100,
} as const;

export function targetTable(run: {
  engine: "pglite" | "postgres";
  base: Figures;
  results: Array<Figures & { name: string }>;
  memory: { firstStart: MemoryFigures; idle: MemoryFigures; underLoad: MemoryFigures };
  webhooks: { unique: WebhookFigures; duplicate: WebhookFigures };
}): string[] {
  const rows: Array<[target: string, measured: string, met: boolean | null]> = [];
  for (const r of run.results) {
    const ratio = r.rps / run.base.rps;
    const p99 = r.p99 / run.base.p99;
    rows.push([`${r.name}: ≥ ${TARGETS.gatedVsStatic}x static req/s, p99 ≤ ${TARGETS.gatedP99VsStatic}x`, `${ratio.toFixed(2)}x, p99 ${p99.toFixed(2)}x`, ratio >= TARGETS.gatedVsStatic && p99 <= TARGETS.gatedP99VsStatic]);
  }
  const { firstStart, idle, underLoad } = run.memory;
  if (run.engine === "pglite") {
    rows.push([`RSS, first start with seeding (PGlite) ≤ ${TARGETS.pgliteFirstStartMb} MB (peak)`, `${firstStart.peakRssMb.toFixed(0)} MB`, firstStart.peakRssMb <= TARGETS.pgliteFirstStartMb]);
    rows.push([`RSS, idle (PGlite) ≤ ${TARGETS.pgliteIdleMb} MB`, `${idle.rssMb.toFixed(0)} MB`, idle.rssMb <= TARGETS.pgliteIdleMb]);
    rows.push([`RSS, after the load (PGlite) ≤ ${TARGETS.pgliteUnderLoadMb} MB`, `${underLoad.rssMb.toFixed(0)} MB (peak ${underLoad.peakRssMb.toFixed(0)})`, underLoad.rssMb <= TARGETS.pgliteUnderLoadMb]);
    rows.push([`RSS, after the load (PostgreSQL) ≤ ${TARGETS.postgresUnderLoadMb} MB`, "run with BENCH_DATABASE_URL", null]);
  } else {
    rows.push([`RSS, first start / idle (PGlite targets)`, `PostgreSQL: ${firstStart.peakRssMb.toFixed(0)} / ${idle.rssMb.toFixed(0)} MB (run without BENCH_DATABASE_URL for PGlite)`, null]);
    rows.push([`RSS, after the load (PostgreSQL) ≤ ${TARGETS.postgresUnderLoadMb} MB`, `${underLoad.rssMb.toFixed(0)} MB (peak ${underLoad.peakRssMb.toFixed(0)})`, underLoad.rssMb <= TARGETS.postgresUnderLoadMb]);
  }
  const judged = run.engine === "postgres";
  const { unique, duplicate } = run.webhooks;
  const onEngine = judged ? "" : " (targets on PostgreSQL; PGlite shown)";
  rows.push([`new verified events ≥ ${TARGETS.newEventsPerSecond}/s, p99 ≤ ${TARGETS.webhookP99Ms} ms${onEngine}`, `${unique.eps.toFixed(0)}/s, p99 ${unique.p99} ms`, judged ? unique.eps >= TARGETS.newEventsPerSecond && unique.p99 <= TARGETS.webhookP99Ms : null]);
  rows.push([`duplicates ≥ ${TARGETS.duplicatesPerSecond}/s, p99 ≤ ${TARGETS.webhookP99Ms} ms${onEngine}`, `${duplicate.eps.toFixed(0)}/s, p99 ${duplicate.p99} ms`, judged ? duplicate.eps >= TARGETS.duplicatesPerSecond && duplicate.p99 <= TARGETS.webhookP99Ms : null]);
  return [
    `Targets (${run.engine === "pglite" ? "PGlite" : "PostgreSQL"}; ratios within this run):`,
    "| target | measured | met |",
    "| --- | --- | --- |",
    ...rows.map(([target, measured, met]) => `| ${target} | ${measured} | ${met === null ? "–" : met ? "✓" : "✗"} |`),
  ];
}
