import { z } from "zod";
import { articleAccess } from "@/db/schema";
import { blockSchema } from "./blocks";
import { slugSchema } from "./slug";

const imagePath = z
  .string()
  .regex(/^\/(images|uploads)\/[\w./-]+$/, "An image is a local path under /images/ or /uploads/")
  .refine((p) => !p.includes(".."), "An image path may not contain ..");

/** An article as any writer (importer, seed, admin) hands it to the store. */
export const articleInputSchema = z
  .object({
    slug: slugSchema,
    title: z.string().trim().min(1, "A headline is required").max(300),
    dek: z.string().trim().max(400).nullable().default(null),
    byline: z.string().trim().max(200).nullable().default(null),
    publishedAt: z.date().nullable(),
    heroImage: imagePath.nullable().default(null),
    heroImageAlt: z.string().trim().max(500).nullable().default(null),
    heroImageCredit: z.string().trim().max(300).nullable().default(null),
    leadInBlocks: z.number().int().min(1).max(50).nullable().default(null),
    access: z.enum(articleAccess.enumValues).default("metered"),
    blocks: z.array(blockSchema).min(1, "An article needs at least one paragraph").max(2_000),
  })
  .refine((a) => !a.heroImage || !!a.heroImageAlt, {
    message: "An image needs alt text",
    path: ["heroImageAlt"],
  });

export type ArticleInput = z.input<typeof articleInputSchema>;
