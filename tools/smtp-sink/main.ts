/**
 * The development mail sink on its own: `npx tsx tools/smtp-sink/main.ts`.
 *   SMTP_SINK_PORT (default 2525; 0 picks a free port),
 *   MAILBOX_DIR (default `$DATA_DIR/mailbox`, i.e. `.data/mailbox`).
 * Point the app at it with EMAIL_SERVER=smtp://127.0.0.1:PORT; read the mail at /dev/mailbox.
 */
import path from "node:path";
import { z } from "zod";
import { startSmtpSink } from "./index";

const envSchema = z.object({
  SMTP_SINK_PORT: z.coerce.number().int().min(0).max(65_535).default(2525),
  DATA_DIR: z.string().min(1).default(".data"),
  MAILBOX_DIR: z.string().min(1).optional(),
});

const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== "")));
if (!parsed.success) {
  console.error("smtp-sink: invalid environment:");
  for (const issue of parsed.error.issues) console.error(`  ${issue.path.join(".")}: ${issue.message}`);
  process.exit(1);
}
const env = parsed.data;
const dir = path.resolve(env.MAILBOX_DIR ?? path.join(env.DATA_DIR, "mailbox"));

const sink = await startSmtpSink({ port: env.SMTP_SINK_PORT, dir });
console.log(`smtp-sink: listening on ${sink.url}, storing mail in ${dir}`);
console.log(`smtp-sink: point the app at it with EMAIL_SERVER=${sink.url}`);

const shutdown = (signal: string): void => {
  console.log(`smtp-sink: ${signal}, shutting down`);
  void sink.close().then(() => process.exit(0));
};
process.once("SIGINT", () => shutdown("SIGINT"));
process.once("SIGTERM", () => shutdown("SIGTERM"));
