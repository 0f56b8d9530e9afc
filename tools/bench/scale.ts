// The admin side of `npm run bench -- --scale`: page latencies as a signed-in admin, the CSV
// export (first byte, memory of the server while it streams), and the hot queries EXPLAINed.
import fs from "node:fs";
import { HOT_PATHS, openExplainingDb } from "./hot-queries";

export const ADMIN_P95_TARGET_MS = 500;
export const CSV_FIRST_BYTE_TARGET_MS = 1000;
/** A fixed bound, whatever the export's size: the server holds one 1,000-row batch at a time. */
export const CSV_MEMORY_BOUND_BYTES = 64 * 1048576;

export interface PageTiming {
  name: string;
  path: string;
  p50: number;
  p95: number;
  max: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** One admin at a time, as admins work: `requests` sequential GETs per page after a short warm-up. */
export async function measureAdminPages(siteUrl: string, cookie: string, requests: number): Promise<PageTiming[]> {
  const get = async (path: string) => {
    const started = performance.now();
    const response = await fetch(`${siteUrl}${path}`, { headers: { cookie } });
    const html = await response.text();
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    return { ms: performance.now() - started, html };
  };
  // Later pages are reached as an admin reaches them: by the first page's "Next"/"Older" link.
  const nextLink = async (path: string) => {
    const match = /href="([^"]*[?&;]after=[^"]+)"/.exec((await get(path)).html);
    if (!match) throw new Error(`${path} has no next page`);
    return match[1]!.replaceAll("&amp;", "&");
  };
  const pages = [
    { name: "dashboard (30 days)", path: "/admin" },
    { name: "dashboard (90 days)", path: "/admin?days=90" },
    { name: "subscribers, first page", path: "/admin/subscribers" },
    { name: "subscribers, a later page", path: await nextLink("/admin/subscribers") },
    { name: "subscriber search (email prefix)", path: "/admin/subscribers?q=reader12" },
    { name: "articles, first page", path: "/admin/articles" },
    { name: "articles, a later page", path: await nextLink("/admin/articles") },
  ];
  const timings: PageTiming[] = [];
  for (const page of pages) {
    for (let i = 0; i < 3; i++) await get(page.path);
    const ms: number[] = [];
    for (let i = 0; i < requests; i++) ms.push((await get(page.path)).ms);
    ms.sort((a, b) => a - b);
    timings.push({ ...page, p50: percentile(ms, 50), p95: percentile(ms, 95), max: ms.at(-1)! });
  }
  return timings;
}

/** Resident memory of a process and its descendants, in bytes (Linux /proc). */
function treeRss(pid: number): number {
  try {
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
    const children = fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
    return rss + children.reduce((sum, child) => sum + treeRss(child), 0);
  } catch {
    return 0; // the process ended
  }
}

export interface CsvExportFigures {
  firstByteMs: number;
  totalMs: number;
  bytes: number;
  lines: number;
  rssBefore: number;
  rssPeak: number;
}

/** Downloads the export, timing its first byte and sampling the server's memory while it streams. */
export async function measureCsvExport(siteUrl: string, cookie: string, serverPid: number): Promise<CsvExportFigures> {
  const rssBefore = treeRss(serverPid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, treeRss(serverPid))), 50);
  try {
    const started = performance.now();
    const response = await fetch(`${siteUrl}/admin/subscribers/export`, { headers: { cookie } });
    if (response.status !== 200 || !response.body) throw new Error(`export: ${response.status}`);
    const reader = response.body.getReader();
    let firstByteMs = 0;
    let bytes = 0;
    let lines = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (bytes === 0) firstByteMs = performance.now() - started;
      bytes += value.length;
      for (const byte of value) if (byte === 10) lines++;
    }
    return { firstByteMs, totalMs: performance.now() - started, bytes, lines, rssBefore, rssPeak };
  } finally {
    clearInterval(sampler);
  }
}

/** Each hot path run in this process on the scaled database (best of 3), and its queries EXPLAINed with default settings. */
export async function explainHotPaths(databaseUrl: string): Promise<Array<{ name: string; ms: number; queries: number; seqScans: string[] }>> {
  const explaining = await openExplainingDb({ url: databaseUrl });
  try {
    const results = [];
    for (const path of HOT_PATHS) {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        await path.run(explaining.db, new Date());
        runs.push(performance.now() - started);
      }
      const explained = await explaining.explainEach(() => path.run(explaining.db, new Date()));
      results.push({ name: path.name, ms: Math.min(...runs), queries: explained.length, seqScans: [...new Set(explained.flatMap((e) => e.seqScans.map((t) => `${t} in ${e.query.slice(0, 120)}…`)))] });
    }
    return results;
  } finally {
    await explaining.close();
  }
}
