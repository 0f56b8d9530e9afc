// Started by Playwright's webServer: a production server on a fresh database, with a real SMTP
// sink for sign-in mail and the Stripe emulator sending signed webhooks; stopped on SIGTERM.
import fs from "node:fs";
import {
  ADMIN_EMAIL,
  CHECKOUT_ADMIN_EMAIL,
  E2E_PORT,
  MAILBOX_DIR,
  REGISTERED_LIMIT,
  SERVER_ENV_FILE,
  SERVER_PID_FILE,
  STRIPE_PORT,
  STRIPE_WEBHOOK_SECRET,
} from "../../e2e/support/env";
import { startSmtpSink } from "@/tools/smtp-sink";
import { startStripeEmulator } from "@/tools/stripe-emulator";
import { startNextServer } from "./next-server";
import { prepareDatabase } from "./prepared-server";

fs.rmSync(MAILBOX_DIR, { recursive: true, force: true });
const sink = await startSmtpSink({ dir: MAILBOX_DIR });
const emulator = await startStripeEmulator({
  port: STRIPE_PORT,
  webhooks: [{ url: `http://127.0.0.1:${E2E_PORT}/api/stripe/webhook`, secret: STRIPE_WEBHOOK_SECRET }],
});
const database = await prepareDatabase(process.env.E2E_DATABASE_URL || undefined);
const serverEnv = {
  ...database.env,
  EMAIL_SERVER: sink.url,
  ADMIN_EMAILS: `${ADMIN_EMAIL},${CHECKOUT_ADMIN_EMAIL}`,
  METER_REGISTERED_LIMIT: String(REGISTERED_LIMIT),
  STRIPE_SECRET_KEY: "sk_test_e2e",
  STRIPE_API_BASE: emulator.url,
  STRIPE_WEBHOOK_SECRET,
  // Every browser test comes from 127.0.0.1: the suite's checkouts must not trip the per-address limit.
  CHECKOUT_LIMIT_PER_CLIENT: "1000",
  // The EU withdrawal function, with full refunds (tests/e2e/withdraw.spec.ts).
  EU_WITHDRAWAL: "full_refund",
};
const server = await startNextServer(E2E_PORT, serverEnv);
fs.writeFileSync(SERVER_PID_FILE, String(server.pid));
// For specs that start a second instance on the same database.
fs.writeFileSync(SERVER_ENV_FILE, JSON.stringify(serverEnv));
console.log(`e2e server ready at ${server.url}`);
const stop = () =>
  void server
    .stop()
    .then(() => Promise.all([database.drop(), sink.close(), emulator.close(), fs.promises.rm(SERVER_ENV_FILE, { force: true })]))
    .finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
