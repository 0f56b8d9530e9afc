// npm run bench: build, start the production server on a fresh database, and measure the reading
// path against a static Next page of the same article served by the same server, in one run.
// The static page exists only in a throw-away build (.next-bench), never in the app.
import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { prepareDatabase, startNextServer, TEST_AUTH_SECRET } from "./testing/prepared-server";

process.env.AUTH_SECRET = TEST_AUTH_SECRET; // so this process can sign meter cookies the server accepts
const { decodeMeter, encodeMeter, METER_COOKIE } = await import("@/lib/access/meter");
const { keyFor } = await import("@/lib/server-secret");

const PORT = Number(process.env.BENCH_PORT ?? 3300);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SLUG = "ukraine-takes-back-control-of-key-city-forcing-humiliating-russian-retreat";
const BASELINE_DIR = path.join("app", "bench-baseline");
const DIST_DIR = ".next-bench";
const build = () => execSync("npx next build", { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NEXT_DIST_DIR: DIST_DIR } });

fs.rmSync(BASELINE_DIR, { recursive: true, force: true }); // left over from an interrupted run
console.log("Building…");
build();
const database = await prepareDatabase(process.env.BENCH_DATABASE_URL || undefined);
const serverEnv = { ...database.env, NEXT_DIST_DIR: DIST_DIR };
let server = await startNextServer(PORT, serverEnv);
try {
  const articleUrl = `${server.url}/articles/${SLUG}`;
  const key = keyFor("meter");
  const now = Math.floor(Date.now() / 1000);
  const cookie = (ids: number[]) => `${METER_COOKIE}=${encodeMeter({ windowStart: now, articleIds: ids }, key)}`;

  // The fixture's id, from the meter cookie a first read sets.
  const first = await fetch(articleUrl);
  const setCookie = first.headers.getSetCookie().find((c) => c.startsWith(`${METER_COOKIE}=`));
  const articleId = decodeMeter(setCookie?.split(";")[0]?.slice(METER_COOKIE.length + 1), key)?.articleIds[0];
  if (!articleId) throw new Error("The first read did not set a meter cookie");
  const freeSlug = (await (await fetch(server.url)).text()).match(/Free to read<\/span>\s*<h[23][^>]*><a href="\/articles\/([^"]+)"/)?.[1];

  const cases: Array<{ name: string; url?: string; headers: Record<string, string>; expect: string }> = [
    { name: "metered, full (counts a new article)", headers: { cookie: cookie([]) }, expect: "full" },
    { name: "metered, full (already counted)", headers: { cookie: cookie([articleId]) }, expect: "full" },
    { name: "preview, over the meter", headers: { cookie: cookie([900001, 900002, 900003]) }, expect: "preview" },
    ...(freeSlug ? [{ name: "free article", url: `${server.url}/articles/${freeSlug}`, headers: {}, expect: "full" }] : []),
  ];

  // The baseline: the same article in full as a prerendered (static) Next page in the same layout.
  const fullHtml = await (await fetch(articleUrl, { headers: { cookie: cookie([articleId]) } })).text();
  const articleMarkup = /<article[\s\S]*<\/article>/.exec(fullHtml)?.[0];
  if (!articleMarkup) throw new Error("No <article> in the full page");
  fs.mkdirSync(BASELINE_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(BASELINE_DIR, "page.tsx"),
    `// Written by tools/bench.ts for one run; never committed.\nexport const dynamic = "force-static";\n` +
      `const ARTICLE = ${JSON.stringify(articleMarkup)};\n` +
      `export default function BenchBaseline() {\n  return <div dangerouslySetInnerHTML={{ __html: ARTICLE }} />;\n}\n`,
  );
  await server.stop();
  console.log("Building with the static baseline page…");
  build();
  server = await startNextServer(PORT, serverEnv);
  const baselineUrl = `${server.url}/bench-baseline`;

  for (const c of cases) {
    const html = await (await fetch(c.url ?? articleUrl, { headers: c.headers })).text();
    if (!html.includes(`data-access="${c.expect}"`)) throw new Error(`${c.name}: expected ${c.expect}`);
  }

  const measure = async (url: string, headers: Record<string, string>) => {
    await autocannon({ url, headers, connections: CONNECTIONS, duration: 2 }); // warm-up
    const r = await autocannon({ url, headers, connections: CONNECTIONS, duration: SECONDS });
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
  };

  console.log(`Measuring: ${CONNECTIONS} connections, ${SECONDS} s each…`);
  const baseA = await measure(baselineUrl, {});
  const results = [];
  for (const c of cases) results.push({ name: c.name, ...(await measure(c.url ?? articleUrl, c.headers)) });
  const baseB = await measure(baselineUrl, {});
  const base = { rps: (baseA.rps + baseB.rps) / 2, p50: (baseA.p50 + baseB.p50) / 2, p99: (baseA.p99 + baseB.p99) / 2 };

  const row = (name: string, r: { rps: number; p50: number; p99: number }) =>
    `| ${name} | ${r.rps.toFixed(0)} | ${(r.rps / base.rps).toFixed(2)}x | ${r.p50} ms | ${r.p99} ms | ${(r.p99 / base.p99).toFixed(2)}x |`;
  const table = [
    "| page | req/s | vs static | p50 | p99 | p99 vs static |",
    "| --- | --- | --- | --- | --- | --- |",
    row("static Next page of the article (baseline)", base),
    ...results.map((r) => row(r.name, r)),
  ];

  // First-load JavaScript: the article page ships none; Next's own baseline is its not-found page.
  const stats = JSON.parse(fs.readFileSync(`${DIST_DIR}/diagnostics/route-bundle-stats.json`, "utf8")) as Array<{
    route: string;
    firstLoadChunkPaths: string[];
  }>;
  const gz = (route: string) =>
    (stats.find((s) => s.route === route)?.firstLoadChunkPaths ?? []).reduce(
      (sum, p) => sum + gzipSync(fs.readFileSync(p)).length,
      0,
    );
  const articleScripts = (fullHtml.match(/<script\b[^>]*\bsrc=/g) ?? []).length;
  const js = [
    `First-load JS (gzip): article page ${articleScripts === 0 ? "0 KB (no script tags)" : `${articleScripts} scripts`}; ` +
      `static baseline page ${(gz("/bench-baseline") / 1024).toFixed(1)} KB; front page (/) ${(gz("/") / 1024).toFixed(1)} KB.`,
  ];
  console.log(["", ...table, "", ...js].join("\n"));
  fs.mkdirSync("bench-results", { recursive: true });
  fs.writeFileSync("bench-results/latest.json", JSON.stringify({ base, baseA, baseB, results, at: new Date() }, null, 2));
} finally {
  await server.stop();
  fs.rmSync(BASELINE_DIR, { recursive: true, force: true });
  fs.rmSync(DIST_DIR, { recursive: true, force: true });
  await database.drop();
}
