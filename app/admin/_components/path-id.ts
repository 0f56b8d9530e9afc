import "server-only";
import { notFound } from "next/navigation";
import { z } from "zod";

// A positive 32-bit integer: a larger one would fail in the database instead of finding nothing.
const idSchema = z.coerce.number<string>().int().positive().max(2_147_483_647);

/** A detail page's `[id]` as a row id, or the page's 404 for one that cannot be. */
export async function pathIdOr404(params: Promise<{ id: string }>): Promise<number> {
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  return id.data;
}
