import { spawn } from "node:child_process";
import path from "node:path";
import { stopChild, waitForHealth } from "@/tools/child-process";

// Kept apart from prepared-server.ts (which opens databases through server-only modules) so the
// Playwright runner, which has no react-server condition, can start and stop servers.
export const TEST_AUTH_SECRET = "test-secret-for-e2e-and-bench-only-0123456789";

export interface RunningServer {
  url: string;
  pid: number;
  /** Null while the process runs; its exit code (or the signal's name) once it has ended. */
  exited(): number | string | null;
  stop(): Promise<void>;
}

/**
 * `next start` (the production build) on 127.0.0.1:port, resolved once /api/health answers.
 * Its output goes to this process's, or to `onOutput` (stdout and stderr both) when given.
 */
export async function startNextServer(port: number, env: Record<string, string>, onOutput?: (text: string) => void): Promise<RunningServer> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      AUTH_SECRET: TEST_AUTH_SECRET,
      SITE_URL: url,
      NEXT_TELEMETRY_DISABLED: "1",
      ...env,
    },
    stdio: ["ignore", onOutput ? "pipe" : "inherit", onOutput ? "pipe" : "inherit"],
  });
  if (onOutput) {
    child.stdout!.setEncoding("utf8").on("data", onOutput);
    child.stderr!.setEncoding("utf8").on("data", onOutput);
  }
  await waitForHealth(url, child);
  return { url, pid: child.pid!, exited: () => child.exitCode ?? child.signalCode, stop: () => stopChild(child) };
}
