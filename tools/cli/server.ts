import { z } from "zod";

/** A server command's settings from the environment (an empty variable counts as unset); on bad ones, says which and exits 1. */
export function serverEnv<S extends z.ZodObject>(name: string, schema: S): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== "")));
  if (parsed.success) return parsed.data;
  console.error(`${name}: invalid environment:`);
  for (const issue of parsed.error.issues) console.error(`  ${issue.path.join(".")}: ${issue.message}`);
  process.exit(1);
}

/** Closes the server on Ctrl-C or a stop signal, then exits. */
export function closeOnSignals(name: string, server: { close(): Promise<void> }): void {
  const shutdown = (signal: string): void => {
    console.log(`${name}: ${signal}, shutting down`);
    void server.close().then(() => process.exit(0));
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}
