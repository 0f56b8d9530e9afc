// npm run cluster -- [--instances N] [--port P] [--no-build] [--measure]
// Builds once, then runs N production servers on DATABASE_URL's PostgreSQL (or a throw-away one)
// behind nginx, with the Stripe emulator and the SMTP sink. Ctrl-C or SIGTERM stops everything.
// --measure: measures req/s on one server and on the cluster, prints them and stops.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { ClusterConfigError, startCluster } from "./cluster";
import { measureThroughput } from "./measure";

const argsSchema = z.object({
  instances: z.coerce.number().int().min(1).max(32),
  port: z.coerce.number().int().min(1).max(65_000),
  "no-build": z.boolean(),
  measure: z.boolean(),
});

function fail(message: string): never {
  console.error(`cluster: ${message}`);
  process.exit(1);
}

const { values } = parseArgs({
  options: {
    instances: { type: "string", default: "2" },
    port: { type: "string", default: "8080" },
    "no-build": { type: "boolean", default: false },
    measure: { type: "boolean", default: false },
  },
});
const args = argsSchema.safeParse(values);
if (!args.success) fail(args.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; "));
const { instances, port } = args.data;

if (!args.data["no-build"]) {
  console.log("Building (next build)…");
  const build = spawnSync(path.resolve("node_modules/.bin/next"), ["build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (build.status !== 0) fail("next build failed (see above).");
} else if (!fs.existsSync(".next/BUILD_ID")) {
  fail("--no-build, but there is no production build in .next: run without --no-build.");
}

try {
  const cluster = await startCluster({ instances, port, databaseUrl: process.env.DATABASE_URL || undefined });
  console.log(`
Masthead cluster: ${instances} app server${instances > 1 ? "s" : ""} behind nginx at ${cluster.url}
  app servers   ${cluster.servers.map((s) => s.url).join(", ")}
  PostgreSQL    ${cluster.postgres ? `throw-away, ${cluster.databaseUrl}` : "DATABASE_URL"}
  Stripe        emulated at ${cluster.emulator.url}; webhooks go through nginx
Ctrl-C stops everything.`);
  if (args.data.measure) {
    try {
      console.log(await measureThroughput(cluster));
    } finally {
      await cluster.stop();
    }
    process.exit(0);
  }
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    console.log("Stopping the cluster…");
    void cluster.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
} catch (error) {
  if (error instanceof ClusterConfigError) fail(error.message);
  throw error;
}
