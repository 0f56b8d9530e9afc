import type { NextRequest } from "next/server";
import { articleResponse } from "@/lib/content/article-response";
import { answerUnlessDatabaseDown } from "@/lib/http/database-unavailable";

// Reached only when the proxy did not answer (it answers article GETs): decides again, never counts.
export async function GET(request: NextRequest, context: { params: Promise<{ slug: string }> }) {
  const { slug } = await context.params;
  return answerUnlessDatabaseDown(() => articleResponse(request, slug, "page"));
}
