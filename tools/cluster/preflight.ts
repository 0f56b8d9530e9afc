// Checks made before anything starts, so a misconfigured cluster fails with one line that names
// the problem instead of N servers' stack traces.
import net from "node:net";
import postgres from "postgres";

/** A problem the user can fix; the CLI prints only its message. */
export class ClusterConfigError extends Error {}

export async function checkPortsFree(ports: Array<{ port: number; what: string }>): Promise<void> {
  for (const { port, what } of ports) {
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (!free) throw new ClusterConfigError(`Port ${port} (for ${what}) is already in use: stop what uses it or pass another --port.`);
  }
}

export async function checkDatabase(databaseUrl: string): Promise<void> {
  let where: string;
  try {
    const url = new URL(databaseUrl);
    if (!/^postgres(ql)?:$/.test(url.protocol)) throw new Error("not postgres");
    where = `${url.hostname}:${url.port || 5432}${url.pathname}`;
  } catch {
    throw new ClusterConfigError("DATABASE_URL is not a postgres:// URL (e.g. postgres://user:password@host:5432/database).");
  }
  const sql = postgres(databaseUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
  } catch (error) {
    throw new ClusterConfigError(`DATABASE_URL: cannot use PostgreSQL at ${where}: ${describeConnectError(error)}.`);
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

function describeConnectError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code === "ECONNREFUSED") return "connection refused (is PostgreSQL running?)";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "unknown host";
  if (code === "CONNECT_TIMEOUT") return "no answer within 5 s";
  return message?.split("\n")[0] ?? String(error);
}
