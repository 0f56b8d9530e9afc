// npm run bench: build, start the production server on a fresh database, and measure the reading
// path against a static Next page of the same article served by the same server, in one run (each
// kind of reader as a returning browser: the cookies a first answer sets are sent back, but the
// meter's, which is the step's own); then again with 3 live experiments and 10 segment rules;
// then the webhook path (signed events processed per second, idempotency checked).
// npm run bench -- --scale [--scale-factor F]: on PostgreSQL (BENCH_DATABASE_URL), a second database
// seeded newsroom-sized (tools/bench/scale-seed.ts) and a second server of the same build; the
// reading path measured on both, step by step in turn; then the admin pages, the CSV export and
// the hot queries' plans at that size. No webhook figures in this mode.
// npm run bench -- --webhooks: one build, one server, the webhook figures only (to measure a change there).
// The static page exists only in a throw-away build (.next-bench), never in the app.
import { execSync } from "node:child_process";
import { createHmac } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import Stripe from "stripe";
import { z } from "zod";
import { articles, giftOpens, gifts, sessions, subscriptions, userMeters, users } from "@/db/schema";
import { parsePlainTextArticle } from "@/lib/content/parse-plain-text";
import { slugify } from "@/lib/content/slug";
import { mainFixture } from "../tests/support/fixtures";
import { FULL_SCALE, seedAtScale, type ScaleSeedResult } from "./bench/scale-seed";
import { ADMIN_P95_TARGET_MS, CSV_FIRST_BYTE_TARGET_MS, CSV_MEMORY_BOUND_BYTES, explainHotPaths, measureAdminPages, measureCsvExport } from "./bench/scale";
import { describeMemory, memoryProbe, type MemoryFigures } from "./bench/memory";
import { targetTable } from "./bench/targets";
import { addLiveExperimentsAndRules, LIVE_EXPERIMENTS, LIVE_RULES, LIVE_RULES_TARGET } from "./bench/live-rules";
import { startStripeEmulator } from "./stripe-emulator";
import { startNextServer, TEST_AUTH_SECRET, type RunningServer } from "../tests/support/servers/next-server";
import { emptyDatabase, prepareDatabase } from "../tests/support/servers/prepared-server";

process.env.AUTH_SECRET = TEST_AUTH_SECRET; // so this process can sign meter cookies the server accepts
const { encodeMeter, METER_COOKIE } = await import("@/lib/access/meter");
const { keyFor } = await import("@/lib/server-secret");
const { browserHash, encodeGiftCookie, GIFT_COOKIE } = await import("@/lib/gifts/gift-cookie");

const PORT = Number(process.env.BENCH_PORT ?? 3300);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SLUG = slugify(parsePlainTextArticle(mainFixture.text).title); // imported by prepareDatabase
const BASELINE_DIR = path.join("app", "bench-baseline");
const DIST_DIR = ".next-bench";
/** The memory targets' load: this many readers at once, for this long. */
const LOAD_CONNECTIONS = 100;
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const WEBHOOK_SECRET = "whsec_bench_0123456789abcdef0123456789abcdef";
const STRIPE_KEY = "sk_test_bench";
const SESSION = {
  subscriber: "bench-subscriber-session-token-0001",
  registered: "bench-registered-session-token-0001",
  registeredSpent: "bench-registered-spent-session-token-0001",
  admin: "bench-admin-session-token-0001",
};
/** Subscriptions the new webhook events are spread over (a renewal day's burst is many subscribers'). */
const WEBHOOK_SUBSCRIPTIONS = 20;
const DATABASE_URL = process.env.BENCH_DATABASE_URL || undefined;
const options = z
  .object({ scale: z.boolean(), "scale-factor": z.coerce.number().gt(0).max(1).optional(), webhooks: z.boolean() })
  .safeParse(
    parseArgs({ options: { scale: { type: "boolean", default: false }, "scale-factor": { type: "string" }, webhooks: { type: "boolean", default: false } } }).values,
  );
if (!options.success) {
  console.error("Usage: npm run bench [-- --scale [--scale-factor F] | --webhooks], F in (0, 1]");
  process.exit(2);
}
const WEBHOOKS_ONLY = options.data.webhooks;
const SCALE = options.data.scale || options.data["scale-factor"] !== undefined ? (options.data["scale-factor"] ?? 1) : 0;
if (SCALE && !DATABASE_URL?.startsWith("postgres")) {
  console.error("npm run bench -- --scale needs PostgreSQL: set BENCH_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)");
  process.exit(2);
}
const build = () => execSync("npx next build", { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NEXT_DIST_DIR: DIST_DIR } });

fs.rmSync(BASELINE_DIR, { recursive: true, force: true }); // left over from an interrupted run
const emulator = await startStripeEmulator({ port: 0, webhooks: [{ url: `http://127.0.0.1:${PORT}/api/stripe/webhook`, secret: WEBHOOK_SECRET }] });
console.log("Building…");
build();
let articleId = 0;
// A gift of the article from the subscriber, already opened by the recipient's browser.
const GIFT_BROWSER = "bench-gift-browser-001"; // 22 characters, as a browser id
let giftId = 0;
// A subscriber (active subscription, one session) and a registered reader who already opened the article.
const addBenchReaders = async (db: Parameters<NonNullable<Parameters<typeof prepareDatabase>[1]>>[0]) => {
  const [article] = await db.select({ id: articles.id }).from(articles).where(eq(articles.slug, SLUG));
  articleId = article!.id;
  const expires = new Date(Date.now() + 86_400_000);
  const [subscriber, registered, spent] = await db
    .insert(users)
    .values([{ email: "subscriber@bench.test" }, { email: "registered@bench.test" }, { email: "spent@bench.test" }])
    .returning();
  await db.insert(sessions).values([
    { sessionToken: SESSION.subscriber, userId: subscriber!.id, expires },
    { sessionToken: SESSION.registered, userId: registered!.id, expires },
    { sessionToken: SESSION.registeredSpent, userId: spent!.id, expires },
  ]);
  await db.insert(subscriptions).values({
    stripeSubscriptionId: "sub_bench",
    stripeCustomerId: "cus_bench",
    userId: subscriber!.id,
    status: "active",
    stripePriceId: "price_bench",
    stripeCreated: new Date(),
  });
  await db.insert(userMeters).values([
    { userId: registered!.id, windowStart: Math.floor(Date.now() / 1000), articleIds: [articleId] },
    // Signed in, meter spent on other articles: the paywall, after asking whether they subscribe.
    { userId: spent!.id, windowStart: Math.floor(Date.now() / 1000), articleIds: Array.from({ length: 20 }, (_, i) => 900001 + i) },
  ]);
  const [gift] = await db
    .insert(gifts)
    .values({ tokenHash: "bench-gift", kind: "subscriber", articleId, gifterUserId: subscriber!.id, senderName: "Bench", expiresAt: expires, browsersOpened: 1 })
    .returning();
  giftId = gift!.id;
  await db.insert(giftOpens).values({ giftId, browserHash: browserHash(GIFT_BROWSER), admitted: true });
  // The admin the scale run signs in as (a session row and its cookie, as after a sign-in link).
  const [admin] = await db.insert(users).values({ email: "admin@bench.test", role: "admin", emailVerified: new Date() }).returning();
  await db.insert(sessions).values({ sessionToken: SESSION.admin, userId: admin!.id, expires });
};
const database = await prepareDatabase(DATABASE_URL, addBenchReaders);
// At scale: a second database, the same as the first, then seeded newsroom-sized; served by a
// second server of the same build, so both are measured in one run, step by step in turn.
const scaled = SCALE ? await prepareScaleDatabase() : null;
const serverEnv = {
  ...database.env,
  NEXT_DIST_DIR: DIST_DIR,
  STRIPE_SECRET_KEY: STRIPE_KEY,
  STRIPE_API_BASE: emulator.url,
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
};
const probe = memoryProbe("main");
// BENCH_CPU_PROF=<folder>: the measured server writes a V8 CPU profile there when it stops.
const cpuProfile: Record<string, string> = process.env.BENCH_CPU_PROF ? { CPU_PROFILE_FILE: path.resolve(process.env.BENCH_CPU_PROF, `server-${Date.now()}.cpuprofile`) } : {};
let server = await startNextServer(PORT, { ...serverEnv, ...(WEBHOOKS_ONLY ? { ...probe.env, ...cpuProfile } : {}) });
/** When each measured step ran (epoch ms), saved with the figures: to cut a CPU profile by step. */
const phases: Array<{ name: string; started: number; ended: number }> = [];
let scaleServer = null as RunningServer | null;
try {
  if (WEBHOOKS_ONLY) await webhooksOnly();
  else await readingAndWebhooks();
} finally {
  await server.stop();
  await scaleServer?.stop();
  await scaled?.database.drop();
  await emulator.close();
  probe.remove();
  fs.rmSync(BASELINE_DIR, { recursive: true, force: true });
  fs.rmSync(DIST_DIR, { recursive: true, force: true });
  await database.drop();
}

async function webhooksOnly() {
  const webhooks = await benchWebhooks(server.url);
  console.log(["", `Webhooks only (${DATABASE_URL ? "PostgreSQL" : "PGlite"}).`, ...webhooks.lines].join("\n"));
  fs.mkdirSync("bench-results", { recursive: true });
  fs.writeFileSync("bench-results/webhooks.json", JSON.stringify({ webhooks: webhooks.figures, phases, at: new Date() }, null, 2));
}

async function readingAndWebhooks() {
  const articlePath = `/articles/${SLUG}`;
  const articleUrl = `${server.url}${articlePath}`;
  const key = keyFor("meter");
  const now = Math.floor(Date.now() / 1000);
  const meter = (ids: number[]) => `${METER_COOKIE}=${encodeMeter({ windowStart: now, articleIds: ids }, key)}`;
  const freeSlug = (await (await fetch(server.url)).text()).match(/Free to read<\/span>\s*<h[23][^>]*><a href="\/articles\/([^"]+)"/)?.[1];

  const cases: Array<{ name: string; path: string; headers: Record<string, string>; expect: string }> = [
    { name: "metered, full (counts a new article)", path: articlePath, headers: { cookie: meter([]) }, expect: "full" },
    { name: "metered, full (already counted)", path: articlePath, headers: { cookie: meter([articleId]) }, expect: "full" },
    { name: "preview, over the meter", path: articlePath, headers: { cookie: meter([900001, 900002, 900003]) }, expect: "preview" },
    { name: "subscriber (database session)", path: articlePath, headers: { cookie: `authjs.session-token=${SESSION.subscriber}` }, expect: "full" },
    {
      name: "gift recipient (gift cookie, meter spent)",
      path: articlePath,
      headers: { cookie: `${meter([900001, 900002, 900003])}; ${GIFT_COOKIE}=${encodeGiftCookie({ giftId, articleId, browserId: GIFT_BROWSER })}` },
      expect: "full",
    },
    { name: "registered reader (meter on the server)", path: articlePath, headers: { cookie: `authjs.session-token=${SESSION.registered}` }, expect: "full" },
    { name: "registered reader, paywall (meter spent)", path: articlePath, headers: { cookie: `authjs.session-token=${SESSION.registeredSpent}` }, expect: "preview" },
    ...(freeSlug ? [{ name: "free article", path: `/articles/${freeSlug}`, headers: {}, expect: "full" }] : []),
  ];

  // The baseline: the same article in full as a prerendered (static) Next page in the same layout.
  const fullHtml = await (await fetch(articleUrl, { headers: { cookie: meter([articleId]) } })).text();
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
  const firstStart = scaled ? null : await measureFirstStart();
  server = await startNextServer(PORT, { ...serverEnv, ...probe.env, ...cpuProfile });
  if (scaled) scaleServer = await startNextServer(PORT + 1, { ...serverEnv, ...scaled.database.env });
  const sites = [server, ...(scaleServer ? [scaleServer] : [])].map((s) => s.url);

  for (const site of sites) {
    for (const c of cases) {
      const html = await (await fetch(`${site}${c.path}`, { headers: c.headers })).text();
      if (!html.includes(`data-access="${c.expect}"`)) throw new Error(`${site}${c.path}, ${c.name}: expected ${c.expect}`);
    }
  }

  // Memory: idle (started, each page served once), then after LOAD_SECONDS of LOAD_CONNECTIONS readers.
  let memory: {
    firstStart: MemoryFigures;
    idle: MemoryFigures;
    underLoad: MemoryFigures;
    load: { requests: number; rps: number; p99: number; errors: number; timeouts: number };
  } | null = null;
  if (firstStart) {
    await new Promise((r) => setTimeout(r, 5_000));
    const idle = await probe.read(server.pid);
    console.log(`Memory idle: ${describeMemory(idle)}. Loading with ${LOAD_CONNECTIONS} readers for ${LOAD_SECONDS} s…`);
    const load = await autocannon({
      url: server.url,
      connections: LOAD_CONNECTIONS,
      duration: LOAD_SECONDS,
      requests: cases.map((c) => ({ method: "GET", path: c.path, headers: c.headers })),
    });
    // A wrong answer stops the bench; a request that timed out under this load is counted and shown.
    if (load.non2xx > 0) throw new Error(`memory load: ${load.non2xx} non-2xx`);
    memory = { firstStart, idle, underLoad: await probe.read(server.pid), load: { requests: load.requests.total, rps: load.requests.average, p99: load.latency.p99, errors: load.errors, timeouts: load.timeouts } };
  }

  const measure = async (url: string, headers: Record<string, string>) => {
    await autocannon({ url, headers, connections: CONNECTIONS, duration: 2 }); // warm-up
    const r = await autocannon({ url, headers, connections: CONNECTIONS, duration: SECONDS });
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
  };
  /** Every reader kind, between two runs of the static baseline; each step on every site in turn. */
  /**
   * The step's headers plus the cookies its first answer sets but the meter (a reader hint, a
   * reader id, the visit): a returning browser, as most reads are. The meter cookie is the step's
   * own (a new article must stay new).
   */
  const asReturningBrowser = async (site: string, step: { path: string; headers: Record<string, string> }) => {
    const answer = await fetch(`${site}${step.path}`, { headers: step.headers });
    await answer.arrayBuffer();
    const kept = answer.headers
      .getSetCookie()
      .map((c) => c.split(";")[0]!)
      .filter((c) => !c.startsWith(`${METER_COOKIE}=`));
    const cookie = [step.headers.cookie, ...kept].filter(Boolean).join("; ");
    return cookie ? { ...step.headers, cookie } : step.headers;
  };
  const measureReading = async (returning = false): Promise<Reading[]> => {
    console.log(`Measuring: ${CONNECTIONS} connections, ${SECONDS} s each…`);
    const baseline = { name: "static Next page of the article (baseline)", path: "/bench-baseline", headers: {} };
    const steps = [baseline, ...cases, baseline];
    const figures = sites.map(() => [] as Reading["results"]);
    for (const step of steps) {
      for (const [i, site] of sites.entries()) {
        const started = Date.now();
        const headers = returning ? await asReturningBrowser(site, step) : step.headers;
        figures[i]!.push({ name: step.name, ...(await measure(`${site}${step.path}`, headers)) });
        phases.push({ name: step.name, started, ended: Date.now() });
      }
    }
    return figures.map((f) => {
      const [baseA, baseB] = [f[0]!, f.at(-1)!];
      return { base: { rps: (baseA.rps + baseB.rps) / 2, p50: (baseA.p50 + baseB.p50) / 2, p99: (baseA.p99 + baseB.p99) / 2 }, baseA, baseB, results: f.slice(1, -1) };
    });
  };
  const [reading, scaleReading] = await measureReading(true);
  const { base, baseA, baseB, results } = reading!;

  if (scaled && scaleServer && scaleReading) {
    const atScale = await benchAtScale(scaleServer, scaled.database.env.DATABASE_URL!, scaled.seed, reading!, scaleReading);
    console.log(["", ...atScale.lines].join("\n"));
    fs.mkdirSync("bench-results", { recursive: true });
    fs.writeFileSync("bench-results/scale.json", JSON.stringify({ factor: SCALE, small: reading, ...atScale.figures, at: new Date() }, null, 2));
    // The targets are for the full size; a smaller factor is a smoke run (small tables are rightly scanned).
    if (SCALE === 1 && !atScale.met) process.exitCode = 1;
  } else {
    const row = (name: string, r: { rps: number; p50: number; p99: number }) =>
      `| ${name} | ${r.rps.toFixed(0)} | ${(r.rps / base.rps).toFixed(2)}x | ${r.p50} ms | ${r.p99} ms | ${(r.p99 / base.p99).toFixed(2)}x |`;
    const table = [
      "| page | req/s | vs static | p50 | p99 | p99 vs static |",
      "| --- | --- | --- | --- | --- | --- |",
      row("static Next page of the article (baseline)", base),
      ...results.map((r) => row(r.name, r)),
    ];

    // First-load JavaScript: the article page ships none; Next's own baseline is the static page.
    const stats = JSON.parse(fs.readFileSync(`${DIST_DIR}/diagnostics/route-bundle-stats.json`, "utf8")) as Array<{ route: string; firstLoadChunkPaths: string[] }>;
    const gz = (route: string) =>
      (stats.find((s) => s.route === route)?.firstLoadChunkPaths ?? []).reduce((sum, p) => sum + gzipSync(fs.readFileSync(p)).length, 0);
    const articleScripts = (fullHtml.match(/<script\b[^>]*\bsrc=/g) ?? []).length;
    const js = `First-load JS (gzip): article page ${articleScripts === 0 ? "0 KB (no script tags)" : `${articleScripts} scripts`}; static baseline page ${(gz("/bench-baseline") / 1024).toFixed(1)} KB; front page (/) ${(gz("/") / 1024).toFixed(1)} KB.`;

    // The same steps again with paywall tests running (the server restarted on the same database).
    await server.stop();
    await addLiveExperimentsAndRules(serverEnv);
    server = await startNextServer(PORT, { ...serverEnv, ...(process.env.BENCH_CPU_PROF ? { CPU_PROFILE_FILE: path.resolve(process.env.BENCH_CPU_PROF, `server-live-${Date.now()}.cpuprofile`) } : {}) });
    // Warmed as the first run was (by the memory load): a cold server's first steps would be judged on its JIT.
    await autocannon({ url: server.url, connections: CONNECTIONS, duration: 20, requests: cases.map((c) => ({ method: "GET", path: c.path, headers: c.headers })) });
    const [live] = await measureReading(true);
    const liveRows = results.map((r, i) => {
      const withRules = live!.results[i]!;
      const ratio = withRules.rps / live!.base.rps / (r.rps / base.rps);
      return `| ${r.name} | ${(r.rps / base.rps).toFixed(2)}x | ${(withRules.rps / live!.base.rps).toFixed(2)}x | ${ratio.toFixed(2)} ${ratio >= LIVE_RULES_TARGET ? "✓" : "✗"} |`;
    });
    const liveTable = [
      `With ${LIVE_EXPERIMENTS} live experiments and ${LIVE_RULES} segment rules (each run against its own static baseline; target ≥ ${LIVE_RULES_TARGET}):`,
      "| page | vs static, without | vs static, with | with ÷ without |",
      "| --- | --- | --- | --- |",
      ...liveRows,
    ];

    const webhooks = await benchWebhooks(server.url);
    const memoryLines = memory
      ? [
          `Memory (${DATABASE_URL ? "PostgreSQL" : "PGlite"}): first start with seeding, peak RSS ${memory.firstStart.peakRssMb.toFixed(0)} MB; ` +
            `idle ${describeMemory(memory.idle)}; after ${LOAD_SECONDS} s of ${LOAD_CONNECTIONS} readers ${describeMemory(memory.underLoad)} ` +
            `(the load: ${memory.load.requests} requests, ${memory.load.rps.toFixed(0)}/s, p99 ${memory.load.p99} ms, ${memory.load.errors} errors of which ${memory.load.timeouts} timeouts).`,
        ]
      : [];
    const targets = memory ? targetTable({ engine: DATABASE_URL ? "postgres" : "pglite", results, base, memory, webhooks: webhooks.figures }) : [];
    console.log(["", ...table, "", ...liveTable, "", js, "", ...webhooks.lines, "", ...memoryLines, "", ...targets].join("\n"));
    fs.mkdirSync("bench-results", { recursive: true });
    fs.writeFileSync("bench-results/latest.json", JSON.stringify({ base, baseA, baseB, results, live, webhooks: webhooks.figures, memory, phases, at: new Date() }, null, 2));
  }
}

/**
 * The webhook path: real subscriptions in the emulator, then signed `customer.subscription.updated`
 * events, each with a new id (every one verified, stored once, the subscription fetched from
 * Stripe and upserted), spread over WEBHOOK_SUBSCRIPTIONS subscriptions, then all on one (every
 * event waits for the one before: ordered per subscription), then on one discounted subscription
 * on a plan (one more retrieve: the offer-plans check), and the same events again (duplicates).
 */
async function benchWebhooks(siteUrl: string) {
  const api = new Stripe(STRIPE_KEY, { host: "127.0.0.1", port: emulator.port, protocol: "http" });
  const product = await api.products.create({ name: "Bench" });
  const price = await api.prices.create({ product: product.id, unit_amount: 800, currency: "usd", recurring: { interval: "month" } });
  const subscribe = async (email: string, priceId: string, discounts?: Stripe.Checkout.SessionCreateParams.Discount[]) => {
    const session = await api.checkout.sessions.create({ mode: "subscription", customer_email: email, line_items: [{ price: priceId, quantity: 1 }], discounts, success_url: `${siteUrl}/`, cancel_url: `${siteUrl}/` });
    const page = await (await fetch(session.url!)).text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)![1]!;
    await fetch(new URL(action, session.url!), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ email, card_number: "4242424242424242" }), redirect: "manual" });
  };
  for (let i = 0; i < WEBHOOK_SUBSCRIPTIONS; i++) await subscribe(`hooks-${i}@bench.test`, price.id);
  // A plan's price (the server pushed the seeded plans at start) with a coupon: the row has a discount and a plan.
  const planPrice = (await api.prices.list({ limit: 100 })).data.find((p) => p.id !== price.id && p.recurring)!;
  const coupon = await api.coupons.create({ percent_off: 20, duration: "forever" });
  await subscribe("hooks-discounted@bench.test", planPrice.id, [{ coupon: coupon.id }]);
  await emulator.webhooksIdle();
  const created = (await api.events.list({ type: "customer.subscription.created", limit: 100 })).data;
  const discountedTemplate = created.find((e) => (e.data.object as Stripe.Subscription).discounts.length > 0)!;
  const templates = created.filter((e) => e !== discountedTemplate);
  if (templates.length !== WEBHOOK_SUBSCRIPTIONS) throw new Error(`expected ${WEBHOOK_SUBSCRIPTIONS} subscriptions, found ${templates.length}`);
  const signed = (template: Stripe.Event, id: string) => {
    const body = JSON.stringify({ ...template, id, type: "customer.subscription.updated" });
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac("sha256", WEBHOOK_SECRET).update(`${t}.${body}`).digest("hex");
    return { body, headers: { "content-type": "application/json", "stripe-signature": `t=${t},v1=${v1}` } };
  };
  const url = `${siteUrl}/api/stripe/webhook`;
  const run = async (eventFor: (n: number) => { template: Stripe.Event; id: string }, seconds: number) => {
    let n = 0;
    const started = Date.now();
    const r = await autocannon({
      url,
      method: "POST",
      connections: 10,
      duration: seconds,
      requests: [
        {
          setupRequest: (req) => {
            const { template, id } = eventFor(n++);
            return { ...req, method: "POST", ...signed(template, id) };
          },
        },
      ],
    });
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`webhooks: ${r.non2xx} non-2xx, ${r.errors} errors`);
    phases.push({ name: `webhooks ${phases.filter((p) => p.name.startsWith("webhooks")).length + 1}`, started, ended: Date.now() });
    return { eps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, sent: n };
  };
  const unique = await run((n) => ({ template: templates[n % templates.length]!, id: `evt_bench_${n}` }), SECONDS);
  const oneSubscription = await run((n) => ({ template: templates[0]!, id: `evt_bench_one_${n}` }), SECONDS);
  const discounted = await run((n) => ({ template: discountedTemplate, id: `evt_bench_discounted_${n}` }), SECONDS);
  const duplicate = await run((n) => ({ template: templates[n % templates.length]!, id: `evt_bench_${n % 50}` }), SECONDS);
  // Idempotency held: every event already sent answers as a duplicate, a new one is processed.
  for (const id of ["evt_bench_0", `evt_bench_${Math.floor(unique.sent / 2)}`]) {
    const again = (await (await fetch(url, { method: "POST", ...signed(templates[0]!, id) })).json()) as { outcome?: string };
    if (again.outcome !== "duplicate") throw new Error(`${id} was processed twice (${again.outcome})`);
  }
  const fresh = (await (await fetch(url, { method: "POST", ...signed(templates[0]!, "evt_bench_fresh") })).json()) as { outcome?: string };
  if (fresh.outcome === "duplicate") throw new Error("a new event was taken for a duplicate");
  const line = (r: { eps: number; p50: number; p99: number }) => `${r.eps.toFixed(0)}/s (p50 ${r.p50} ms, p99 ${r.p99} ms)`;
  return {
    figures: { unique, oneSubscription, discounted, duplicate },
    lines: [
      `Webhooks (10 connections, signatures verified; each new event fetches its subscription from the emulator and upserts it): ` +
        `new events over ${WEBHOOK_SUBSCRIPTIONS} subscriptions ${line(unique)}; all on one subscription ${line(oneSubscription)}; ` +
        `on one discounted subscription (one more retrieve) ${line(discounted)}; duplicates ${line(duplicate)}. Idempotency checked: re-sent events answered "duplicate".`,
    ],
  };
}

/**
 * A first start: the same build on a fresh, empty database, which the server migrates and seeds
 * (demo articles, plans pushed to the emulator); its peak RSS until it has served the front page.
 */
async function measureFirstStart(): Promise<MemoryFigures> {
  const { env, drop } = await emptyDatabase(DATABASE_URL, "masthead-first-start");
  const firstProbe = memoryProbe("first-start");
  const first = await startNextServer(PORT + 2, { ...serverEnv, ...env, ...firstProbe.env });
  try {
    if (!(await fetch(first.url)).ok) throw new Error("the first start's front page failed");
    const figures = await firstProbe.read(first.pid);
    console.log(`Memory at first start with seeding: ${describeMemory(figures)}`);
    return figures;
  } finally {
    await first.stop();
    firstProbe.remove();
    await drop();
  }
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
}
interface Reading {
  base: Figures;
  baseA: Figures;
  baseB: Figures;
  results: Array<Figures & { name: string }>;
}

/** The second database: prepared as the first, then seeded at SCALE × FULL_SCALE. */
async function prepareScaleDatabase() {
  const database = await prepareDatabase(DATABASE_URL, addBenchReaders);
  const sizes = Object.entries(FULL_SCALE).map(([k, v]) => `${Math.round(v * SCALE).toLocaleString("en")} ${k}`).join(", ");
  console.log(`Seeding a second database at scale ${SCALE} (${sizes})…`);
  const client = postgres(database.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  const seed = await seedAtScale((statement) => client.unsafe(statement), SCALE).finally(() => client.end());
  return { database, seed };
}

/**
 * The scaled site's figures next to the small one's, then its admin pages and CSV export as the
 * signed-in admin, and its hot queries EXPLAINed. `met` is whether every target held.
 */
async function benchAtScale(site: RunningServer, databaseUrl: string, seed: ScaleSeedResult, small: Reading, large: Reading) {
  console.log("Admin pages, the CSV export and the hot queries' plans…");
  const cookie = `authjs.session-token=${SESSION.admin}`;
  const admin = await measureAdminPages(site.url, cookie, Number(process.env.BENCH_ADMIN_REQUESTS ?? 50));
  const csv = await measureCsvExport(site.url, cookie, site.pid);
  const plans = await explainHotPaths(databaseUrl);

  const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
  const within = (ratio: number) => `${ratio.toFixed(2)}x ${ratio <= 1.2 ? "✓" : "✗"}`;
  const pairs = [{ name: "static Next page of the article (baseline)", s: small.base, l: large.base }, ...small.results.map((s, i) => ({ name: s.name, s, l: large.results[i]! }))];
  const readingMet = pairs.slice(1).every(({ s, l }) => s.rps / l.rps <= 1.2 && l.p99 / s.p99 <= 1.2);
  const adminMet = admin.every((a) => a.p95 < ADMIN_P95_TARGET_MS);
  const csvGrowth = csv.rssPeak - csv.rssBefore;
  const csvMet = csv.firstByteMs < CSV_FIRST_BYTE_TARGET_MS && csvGrowth < CSV_MEMORY_BOUND_BYTES;
  const plansMet = plans.every((p) => p.seqScans.length === 0);
  const lines = [
    `Seeded in ${seed.seconds.toFixed(0)} s: ${Object.entries(seed.counts).map(([t, n]) => `${t} ${n.toLocaleString("en")}`).join(", ")}.`,
    "",
    `Reading path (${CONNECTIONS} connections, ${SECONDS} s each): the small and the scaled database, one server each of the same build, each step measured on both in turn; target: within 1.2x.`,
    "| page | small req/s | small p50 / p99 | scale req/s | scale p50 / p99 | req/s small ÷ scale | p99 scale ÷ small |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...pairs.map(({ name, s, l }) => `| ${name} | ${s.rps.toFixed(0)} | ${s.p50} / ${s.p99} ms | ${l.rps.toFixed(0)} | ${l.p50} / ${l.p99} ms | ${within(s.rps / l.rps)} | ${within(l.p99 / s.p99)} |`),
    "",
    `Admin pages at scale (one admin, sequential requests); target: p95 under ${ADMIN_P95_TARGET_MS} ms.`,
    "| page | p50 | p95 | max |",
    "| --- | --- | --- | --- |",
    ...admin.map((a) => `| ${a.name} | ${a.p50.toFixed(0)} ms | ${a.p95.toFixed(0)} ms ${a.p95 < ADMIN_P95_TARGET_MS ? "✓" : "✗"} | ${a.max.toFixed(0)} ms |`),
    "",
    `CSV export at scale: ${csv.lines.toLocaleString("en")} lines, ${mb(csv.bytes)}; first byte ${csv.firstByteMs.toFixed(0)} ms ${csv.firstByteMs < CSV_FIRST_BYTE_TARGET_MS ? "✓" : "✗"}, ` +
      `whole file ${(csv.totalMs / 1000).toFixed(1)} s; server memory ${mb(csv.rssBefore)} before, ${mb(csv.rssPeak)} at peak (+${mb(csvGrowth)}; ${csvGrowth < CSV_MEMORY_BOUND_BYTES ? "✓" : "✗"} bound ${mb(CSV_MEMORY_BOUND_BYTES)} whatever the size).`,
    "",
    "Hot queries at scale, EXPLAINed with default planner settings (time: best of 3, in-process):",
    ...plans.map((p) => `- ${p.name}: ${p.queries} queries, ${p.ms.toFixed(0)} ms, ${p.seqScans.length === 0 ? "no sequential scan of a big table ✓" : `✗ ${p.seqScans.join("; ")}`}`),
    "",
    SCALE < 1 ? `Scale factor ${SCALE}: a smoke run; the targets are judged at full size.` : readingMet && adminMet && csvMet && plansMet ? "Every target met." : "Some targets missed (✗ above).",
  ];
  return {
    met: readingMet && adminMet && csvMet && plansMet,
    lines,
    figures: { seed, large, admin, csv, plans },
  };
}
