/**
 * `npm run stripe:emulator`: starts the emulator from environment variables.
 *   STRIPE_EMULATOR_PORT (default 12111), STRIPE_EMULATOR_HOST (default 127.0.0.1),
 *   STRIPE_WEBHOOK_URL + STRIPE_WEBHOOK_SECRET (whsec_…; generated and printed when missing),
 *   STRIPE_EMULATOR_STATE_FILE (optional JSON file that keeps state across restarts).
 */
import { z } from "zod";
import { closeOnSignals, serverEnv } from "../cli/server";
import { startStripeEmulator } from "./index";

const envSchema = z.object({
  STRIPE_EMULATOR_PORT: z.coerce.number().int().min(0).max(65_535).default(12111),
  STRIPE_EMULATOR_HOST: z.string().min(1).default("127.0.0.1"),
  STRIPE_EMULATOR_PUBLIC_URL: z.url().optional(),
  STRIPE_WEBHOOK_URL: z.url().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_").optional(),
  STRIPE_EMULATOR_STATE_FILE: z.string().min(1).optional(),
});

const env = serverEnv("stripe-emulator", envSchema);

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

closeOnSignals("stripe-emulator", emulator);
