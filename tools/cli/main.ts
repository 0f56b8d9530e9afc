import { parseArgs } from "node:util";
import { z } from "zod";
import { openDatabase } from "@/db/client";

/**
 * A command's `--name value` options, checked by `schema` (every option a string); on bad input,
 * prints what was wrong and `usage`, and gives null.
 */
export function parseOptions<S extends z.ZodObject>(schema: S, usage: string): z.output<S> | null {
  const { values } = parseArgs({ options: Object.fromEntries(Object.keys(schema.shape).map((key) => [key, { type: "string" as const }])) });
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  console.error(`${z.prettifyError(parsed.error)}\n\n${usage}`);
  return null;
}

/** The database the environment names: DATABASE_URL, or else the PGlite files under DATA_DIR. */
export function openEnvDatabase() {
  return openDatabase(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { dataDir: process.env.DATA_DIR ?? ".data" });
}

/** Runs a command's main and exits with its code; a crash prints the error and exits 2. */
export function exitWith(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(2);
    },
  );
}
