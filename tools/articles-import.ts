import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { importPlainTextArticle } from "@/lib/content/import-article";
import { runWithDatabase, UsageError } from "./cli/run-with-database";

const USAGE = "Usage: npm run articles:import -- FILE [--access free|metered|subscribers] [--slug SLUG]";

await runWithDatabase(async ({ db }) => {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { access: { type: "string" }, slug: { type: "string" } },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) throw new UsageError(USAGE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const result = await importPlainTextArticle(db, text, parsed.values);
  console.log(result.path);
});
