import { z } from "zod";
import { articleAccess } from "@/db/schema";
import { slugSchema } from "@/lib/content/slug";

const MAX_BYTES = 1_000_000;

/** The browser import: a plain-text file, who may read it, an optional slug, and whether a re-import replaces everything. */
export const importFormSchema = z.object({
  file: z
    .file({ error: "Choose a .txt file to import" })
    .min(1, "The file is empty: choose a .txt file with the headline on its first line")
    .max(MAX_BYTES, "The file is larger than 1 MB; an article is plain text")
    .refine((f) => /\.txt$/i.test(f.name) || f.type.startsWith("text/plain"), "Choose a plain-text (.txt) file"),
  access: z.enum(articleAccess.enumValues, { error: "Choose who may read the article" }),
  slug: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .pipe(slugSchema.optional()),
  // A checkbox: present ("on") when ticked, absent otherwise.
  replaceAll: z
    .literal("on", { error: "Tick the box or leave it empty" })
    .optional()
    .transform((v) => v === "on"),
});

export type ImportForm = z.output<typeof importFormSchema>;
