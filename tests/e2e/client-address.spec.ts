import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { startNextServer, type RunningServer } from "@/tests/support/servers/next-server";
import { SECOND_PORT } from "./support/env";

// A production server of its own (no proxy in front, TRUSTED_PROXIES unset) on a fresh PGlite
// database, with a per-address checkout limit of 2: whatever X-Forwarded-For a client sends, the
// server counts the socket's address.
let server: RunningServer;
let dataDir: string;
test.describe.configure({ timeout: 120_000 });
test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-client-address-"));
  server = await startNextServer(SECOND_PORT, { DATA_DIR: dataDir, DATABASE_URL: "", SEED_DEMO_CONTENT: "false", CHECKOUT_LIMIT_PER_CLIENT: "2" });
});
test.afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test("a client that sends its own X-Forwarded-For is counted by its socket's address", async () => {
  const statuses: number[] = [];
  for (const forged of ["198.51.100.1", "198.51.100.2", "66.249.66.1, 198.51.100.3"]) {
    // No cookies: each request is a new browser, so only the per-address limit can hold it.
    const response = await fetch(`${server.url}/subscribe/checkout`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": forged, "x-masthead-peer": `${"0".repeat(32)} ${forged}` },
      body: "plan=1&return=%2F",
    });
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  expect(statuses.slice(0, 2)).not.toContain(429);
  expect(statuses[2]).toBe(429);
});
