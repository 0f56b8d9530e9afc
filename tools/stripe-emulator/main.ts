/**
 * `npm run stripe:emulator`: starts the emulator from environment variables.
 *   STRIPE_EMULATOR_PORT (default 12111), STRIPE_EMULATOR_HOST (default 127.0.0.1),
 *   STRIPE_WEBHOOK_URL + STRIPE_WEBHOOK_SECRET (whsec_…; generated and printed when missing),
 *   STRIPE_EMULATOR_STATE_FILE (optional JSON file that keeps state across restarts).
 */
import { z } from "zod";
import { startStripeEmulator } from "./index";

const envSchema = z.object({
  STRIPE_EMULATOR_PORT: z.coerce.number().int().min(0).max(65_535).default(12111),
  STRIPE_EMULATOR_HOST: z.string().min(1).default("127.0.0.1"),
  STRIPE_EMULATOR_PUBLIC_URL: z.url().optional(),
  STRIPE_WEBHOOK_URL: z.url().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_").optional(),
  STRIPE_EMULATOR_STATE_FILE: z.string().min(1).optional(),
});

const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== "")));
if (!parsed.success) {
  console.error("stripe-emulator: invalid environment:");
  for (const issue of parsed.error.issues) console.error(`  ${issue.path.join(".")}: ${issue.message}`);
  process.exit(1);
}
const env = parsed.data;

const emulator = await startStripeEmulator({
  port: env.STRIPE_EMULATOR_PORT,
  host: env.STRIPE_EMULATOR_HOST,
  ...(env.STRIPE_EMULATOR_PUBLIC_URL ? { publicUrl: env.STRIPE_EMULATOR_PUBLIC_URL } : {}),
  ...(env.STRIPE_EMULATOR_STATE_FILE ? { stateFile: env.STRIPE_EMULATOR_STATE_FILE } : {}),
  webhooks: env.STRIPE_WEBHOOK_URL
    ? [{ url: env.STRIPE_WEBHOOK_URL, ...(env.STRIPE_WEBHOOK_SECRET ? { secret: env.STRIPE_WEBHOOK_SECRET } : {}) }]
    : [],
});

console.log(`stripe-emulator: listening on ${emulator.url} (API version 2026-10-28.endive)`);
console.log(`stripe-emulator: point the app at it with STRIPE_API_BASE=${emulator.url} and any STRIPE_SECRET_KEY=sk_test_…`);
for (const hook of emulator.webhooks) {
  const generated = env.STRIPE_WEBHOOK_SECRET ? "" : " (generated; set STRIPE_WEBHOOK_SECRET to fix it)";
  console.log(`stripe-emulator: sending webhooks to ${hook.url}, secret ${hook.secret}${generated}`);
}
if (emulator.webhooks.length === 0) console.log("stripe-emulator: no STRIPE_WEBHOOK_URL; add endpoints with POST /v1/webhook_endpoints");

const shutdown = (signal: string): void => {
  console.log(`stripe-emulator: ${signal}, shutting down`);
  void emulator.close().then(() => process.exit(0));
};
process.once("SIGINT", () => shutdown("SIGINT"));
process.once("SIGTERM", () => shutdown("SIGTERM"));
