import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

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

export async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not become healthy within 60 s`);
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
