/**
 * `npm run mail:sink`: the development SMTP sink on its own, for a production build tried on one
 * machine (`npm run dev` starts it itself).
 *   SMTP_SINK_PORT (default 2525), MAILBOX_DIR (default .data/mailbox): each message is stored
 *   there as <id>.json. Point the app at it with EMAIL_SERVER=smtp://127.0.0.1:<port>.
 */
import path from "node:path";
import { z } from "zod";
import { startSmtpSink } from "./index";

const env = z
  .object({
    SMTP_SINK_PORT: z.coerce.number().int().min(0).max(65_535).default(2525),
    MAILBOX_DIR: z.string().min(1).default(path.join(".data", "mailbox")),
  })
  .parse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== "")));

const sink = await startSmtpSink({ port: env.SMTP_SINK_PORT, dir: path.resolve(env.MAILBOX_DIR) });
console.log(`mail-sink: listening; point the app at it with EMAIL_SERVER=${sink.url}`);
console.log(`mail-sink: messages are stored as JSON in ${path.resolve(env.MAILBOX_DIR)}`);
const stop = () => void sink.close().finally(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
