import { closeDb, getDbHandle, type DbHandle } from "@/db/client";
import { DataDirBusyError } from "@/db/data-dir-lock";
import { ArticleFormatError } from "@/lib/content/parse-plain-text";
import { z } from "zod";

/** Runs a command-line task against the configured database, turning known failures into clear messages. */
export async function runWithDatabase(task: (handle: DbHandle) => Promise<void>): Promise<void> {
  try {
    await task(await getDbHandle());
  } catch (error) {
    if (error instanceof DataDirBusyError || error instanceof ArticleFormatError || error instanceof UsageError) {
      console.error(`Error: ${error.message}`);
    } else if (error instanceof z.ZodError) {
      console.error(`Error: ${error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ")}`);
    } else {
      console.error(error);
    }
    process.exitCode = 1;
  } finally {
    await closeDb();
  }
}

export class UsageError extends Error {}
