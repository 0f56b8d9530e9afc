// A misconfigured cluster fails at once with one line that names the problem.
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { expect, it } from "vitest";
import { freePort } from "@/tools/cluster/throwaway-postgres";
import { FAULTS_PORT, requireBuild } from "./support/fault-cluster";

const PORT = FAULTS_PORT + 20;

function runCluster(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  requireBuild();
  return new Promise((resolve) => {
    const child = spawn(path.resolve("node_modules/.bin/tsx"), ["--conditions=react-server", "tools/cluster/main.ts", "--no-build", "--instances", "2", "--port", String(PORT)], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}

it("a DATABASE_URL that is not PostgreSQL's", async () => {
  const { code, stderr } = await runCluster({ DATABASE_URL: "mysql://root@127.0.0.1/masthead" });
  expect(code).toBe(1);
  expect(stderr.trim()).toBe("cluster: DATABASE_URL is not a postgres:// URL (e.g. postgres://user:password@host:5432/database).");
});

it("PostgreSQL down at start", async () => {
  const port = await freePort();
  const { code, stderr } = await runCluster({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/masthead` });
  expect(code).toBe(1);
  expect(stderr.trim()).toBe(`cluster: DATABASE_URL: cannot use PostgreSQL at 127.0.0.1:${port}/masthead: connection refused (is PostgreSQL running?).`);
});

it.skipIf(!process.env.TEST_DATABASE_URL)("a database that does not exist", async () => {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = "/masthead_no_such_database";
  const { code, stderr } = await runCluster({ DATABASE_URL: url.toString() });
  expect(code).toBe(1);
  expect(stderr.trim().split("\n")).toHaveLength(1);
  expect(stderr).toContain('database "masthead_no_such_database" does not exist');
});

it("a port already taken", async () => {
  const squatter = net.createServer().listen(PORT + 2, "127.0.0.1");
  await new Promise((resolve) => squatter.once("listening", resolve));
  try {
    const { code, stderr } = await runCluster({ DATABASE_URL: "" });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`cluster: Port ${PORT + 2} (for app server 2) is already in use: stop what uses it or pass another --port.`);
  } finally {
    squatter.close();
  }
});
