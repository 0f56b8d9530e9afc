import type { NextRequest } from "next/server";
import { articleResponse } from "@/lib/reading/article-response";

// Reached only when the proxy did not answer (it answers article GETs): decides again, never counts.
export async function GET(request: NextRequest, context: { params: Promise<{ slug: string }> }) {
  return articleResponse(request, (await context.params).slug, "recheck");
}
