import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { importPlainTextArticle, listed } from "@/lib/content/import-article";
import { runWithDatabase, UsageError } from "./cli/run-with-database";

const USAGE = "Usage: npm run articles:import -- FILE [--access free|metered|subscribers] [--slug SLUG] [--replace-all]";

await runWithDatabase(async ({ db }) => {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { access: { type: "string" }, slug: { type: "string" }, "replace-all": { type: "boolean" } },
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
  const { access, slug, "replace-all": replaceAll } = parsed.values;
  const result = await importPlainTextArticle(db, text, { access, slug, replaceAll });
  // The path alone on stdout, for scripts; what the editor should know on stderr.
  console.log(result.path);
  if (result.kept) {
    const changed = result.changed.length > 0 ? `; changed the ${listed(result.changed)} (as given)` : "";
    console.error(`Replaced the headline and body${changed}; kept the ${listed(result.keptFields)} (--replace-all replaces them too).`);
  }
  if (result.leadInWarning) console.error(`Note: ${result.leadInWarning}`);
});
