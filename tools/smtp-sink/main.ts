/**
 * The development mail sink on its own: `npx tsx tools/smtp-sink/main.ts`.
 *   SMTP_SINK_PORT (default 2525; 0 picks a free port),
 *   MAILBOX_DIR (default `$DATA_DIR/mailbox`, i.e. `.data/mailbox`).
 * Point the app at it with EMAIL_SERVER=smtp://127.0.0.1:PORT; read the mail at /dev/mailbox.
 */
import path from "node:path";
import { z } from "zod";
import { closeOnSignals, serverEnv } from "../cli/server";
import { startSmtpSink } from "./index";

const envSchema = z.object({
  SMTP_SINK_PORT: z.coerce.number().int().min(0).max(65_535).default(2525),
  DATA_DIR: z.string().min(1).default(".data"),
  MAILBOX_DIR: z.string().min(1).optional(),
});

const env = serverEnv("smtp-sink", envSchema);
const dir = path.resolve(env.MAILBOX_DIR ?? path.join(env.DATA_DIR, "mailbox"));

const sink = await startSmtpSink({ port: env.SMTP_SINK_PORT, dir });
console.log(`smtp-sink: listening on ${sink.url}, storing mail in ${dir}`);
console.log(`smtp-sink: point the app at it with EMAIL_SERVER=${sink.url}`);

closeOnSignals("smtp-sink", sink);
