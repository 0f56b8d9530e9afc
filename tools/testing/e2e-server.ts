// Started by Playwright's webServer: a production server on a fresh database, stopped on SIGTERM.
import { prepareDatabase, startNextServer } from "./prepared-server";

const database = await prepareDatabase(process.env.E2E_DATABASE_URL || undefined);
const server = await startNextServer(Number(process.env.E2E_PORT ?? 3210), database.env);
console.log(`e2e server ready at ${server.url}`);
const stop = () =>
  void server
    .stop()
    .then(() => database.drop())
    .finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
