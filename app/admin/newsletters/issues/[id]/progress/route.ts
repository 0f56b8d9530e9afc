import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requireAdmin } from "@/lib/auth/current-user";
import { issueProgress } from "@/lib/admin/newsletters/report";

const idSchema = z.coerce.number().int().positive();

// The progress bar polls this while an issue is sending. Admins only (404 for anyone else).
export async function GET(_request: NextRequest, context: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const id = idSchema.safeParse((await context.params).id);
  const progress = id.success ? await issueProgress(await getDb(), id.data) : null;
  if (!progress) return NextResponse.json({ error: "No such issue" }, { status: 404 });
  return NextResponse.json(progress, { headers: { "cache-control": "no-store" } });
}
