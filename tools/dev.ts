// npm run dev: the site with everything embedded (PGlite in .data/, demo content), for a new user
// with no set-up. Local stand-ins for outside services start beside it when none is configured.
import { spawn } from "node:child_process";
import path from "node:path";

const services: Array<{ name: string; stop(): Promise<void> }> = [];
const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

const next = spawn(path.resolve("node_modules/.bin/next"), ["dev", ...process.argv.slice(2)], { env, stdio: "inherit" });

async function shutdown(code: number) {
  for (const service of services.reverse()) await service.stop().catch(() => {});
  process.exit(code);
}
next.on("exit", (code) => void shutdown(code ?? 0));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => next.kill(signal));
}
