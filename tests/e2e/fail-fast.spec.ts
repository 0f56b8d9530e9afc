import { spawn } from "node:child_process";
import net from "node:net";
import os from "node:os";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { TEST_AUTH_SECRET } from "@/tests/support/servers/next-server";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `next start` (the production build) with this environment: its exit code and output, or null if it keeps running past 20 s. */
async function nextStart(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-fail-fast-"));
  const child = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATA_DIR: dataDir,
      SITE_URL: `http://127.0.0.1:${port}`,
      AUTH_SECRET: TEST_AUTH_SECRET,
      ...env,
    } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  clearTimeout(timer);
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { code, output };
}

test("a misconfigured production server stops at start with a message naming the variable", async () => {
  const cases: Array<[Record<string, string | undefined>, RegExp]> = [
    [{ AUTH_SECRET: undefined }, /AUTH_SECRET: AUTH_SECRET is required in production/],
    [{ AUTH_SECRET: "short" }, /AUTH_SECRET: AUTH_SECRET must be at least 32 characters/],
    [{ STRIPE_SECRET_KEY: "sk_test_only_the_key" }, /STRIPE_WEBHOOK_SECRET: STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set/],
    [{ STRIPE_WEBHOOK_SECRET: "whsec_only_the_secret" }, /STRIPE_SECRET_KEY: STRIPE_SECRET_KEY is required when STRIPE_WEBHOOK_SECRET is set/],
    [{ SITE_URL: "news.example.com" }, /SITE_URL: SITE_URL must be an http:\/\/ or https:\/\/ URL/],
  ];
  for (const [env, message] of cases) {
    const started = Date.now();
    const { code, output } = await nextStart(env);
    expect(code, `${JSON.stringify(env)}\n${output}`).toBe(1);
    expect(output).toMatch(/Masthead cannot start/);
    expect(output).toMatch(message);
    expect(Date.now() - started).toBeLessThan(15_000);
  }
});
