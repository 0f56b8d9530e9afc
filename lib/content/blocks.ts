import { z } from "zod";
import { blockKind } from "@/db/schema";

export const blockSchema = z.object({
  kind: z.enum(blockKind.enumValues),
  text: z.string().trim().min(1).max(20_000),
});

export type Block = z.infer<typeof blockSchema>;
