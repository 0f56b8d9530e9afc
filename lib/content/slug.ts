import { z } from "zod";

/** The headline in lower-case words joined by `-`, punctuation and accents dropped. */
export function slugify(headline: string): string {
  return headline
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’‘`]/g, "")
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .join("-")
    .slice(0, 120)
    .replace(/-+$/, "");
}

export const slugSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "A slug is lower-case letters and digits joined by single hyphens");
