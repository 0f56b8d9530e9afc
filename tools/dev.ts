// npm run dev: the site with everything embedded, for a new user with no set-up: PGlite in
// .data/, demo content, and local stand-ins for outside services that are not configured:
// an SMTP sink for sign-in mail (read it at /dev/mailbox) and the Stripe emulator.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { startSmtpSink } from "./smtp-sink";
import { startStripeEmulator } from "./stripe-emulator";

const dataDir = path.resolve(process.env.DATA_DIR || ".data");
const port = Number(process.env.PORT || 3000);
const siteUrl = process.env.SITE_URL || `http://localhost:${port}`;
const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", DATA_DIR: dataDir, SITE_URL: siteUrl };
const stops: Array<() => Promise<void>> = [];
fs.mkdirSync(dataDir, { recursive: true });

if (!process.env.EMAIL_SERVER) {
  const mailbox = path.join(dataDir, "mailbox");
  const sink = await startSmtpSink({ port: Number(process.env.SMTP_SINK_PORT || 2525), dir: mailbox });
  env.EMAIL_SERVER = sink.url;
  env.MAILBOX_DIR = mailbox;
  stops.push(() => sink.close());
  console.log(`Mail: sign-in emails go to a local sink; read them at ${siteUrl}/dev/mailbox`);
}

if (!process.env.STRIPE_SECRET_KEY) {
  // A stable webhook secret per data folder, so a restart keeps the emulator and the app agreeing.
  const secretFile = path.join(dataDir, "stripe-webhook-secret");
  if (!fs.existsSync(secretFile)) fs.writeFileSync(secretFile, `whsec_${randomBytes(24).toString("hex")}`, { mode: 0o600 });
  const webhookSecret = fs.readFileSync(secretFile, "utf8").trim();
  const emulator = await startStripeEmulator({
    port: Number(process.env.STRIPE_EMULATOR_PORT || 12111),
    stateFile: path.join(dataDir, "stripe-emulator.json"),
    webhooks: [{ url: `${siteUrl}/api/stripe/webhook`, secret: webhookSecret }],
  });
  Object.assign(env, {
    STRIPE_SECRET_KEY: "sk_test_emulator",
    STRIPE_API_BASE: emulator.url,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
  });
  stops.push(() => emulator.close());
  console.log(`Stripe: payments are emulated at ${emulator.url} (test cards: 4242 4242 4242 4242 pays)`);
}

const next = spawn(path.resolve("node_modules/.bin/next"), ["dev", "-p", String(port), ...process.argv.slice(2)], {
  env,
  stdio: "inherit",
});

async function shutdown(code: number): Promise<never> {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  process.exit(code);
}
next.on("exit", (code) => void shutdown(code ?? 0));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => next.kill(signal));
