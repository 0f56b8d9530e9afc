// npm run newsletters:send: the newsletter sender as its own process (PostgreSQL deployments that
// run app servers with NEWSLETTER_SENDER=off). It shares the lease with any in-process sender, so
// only one sends at a time. `--until-idle` returns once the outbox is empty (scripts and tests);
// `--lease-seconds N` is how soon another sender may take over after this one dies (30).
import { parseArgs } from "node:util";
import { z } from "zod";
import { runSender } from "../lib/newsletters/sender";
import { runWithDatabase } from "./cli/run-with-database";

const { values } = parseArgs({ options: { "until-idle": { type: "boolean" }, "lease-seconds": { type: "string" } } });
const leaseSeconds = z.coerce.number().int().min(1).max(3600).default(30).parse(values["lease-seconds"]);
const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => controller.abort());

await runWithDatabase(async ({ db }) => {
  const { sent } = await runSender(db, { leaseSeconds, untilIdle: values["until-idle"] === true, signal: controller.signal });
  console.log(`Newsletter sender stopped: ${sent} messages sent.`);
});
