// Started by Playwright's webServer: a production server on a fresh database, with a real SMTP
// sink for sign-in mail, stopped on SIGTERM.
import fs from "node:fs";
import { ADMIN_EMAIL, E2E_PORT, MAILBOX_DIR, REGISTERED_LIMIT } from "../../tests/e2e/support/env";
import { startSmtpSink } from "../smtp-sink";
import { prepareDatabase, startNextServer } from "./prepared-server";

fs.rmSync(MAILBOX_DIR, { recursive: true, force: true });
const sink = await startSmtpSink({ dir: MAILBOX_DIR });
const database = await prepareDatabase(process.env.E2E_DATABASE_URL || undefined);
const server = await startNextServer(E2E_PORT, {
  ...database.env,
  EMAIL_SERVER: sink.url,
  ADMIN_EMAILS: ADMIN_EMAIL,
  METER_REGISTERED_LIMIT: String(REGISTERED_LIMIT),
});
console.log(`e2e server ready at ${server.url}`);
const stop = () =>
  void server
    .stop()
    .then(() => Promise.all([database.drop(), sink.close()]))
    .finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
