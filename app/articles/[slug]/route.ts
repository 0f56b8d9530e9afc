import type { NextRequest } from "next/server";
import { articleResponse } from "@/lib/content/article-response";

// The article page is rendered from cached parts as one HTML document (see lib/content).
export async function GET(request: NextRequest, context: { params: Promise<{ slug: string }> }) {
  return articleResponse(request, (await context.params).slug);
}
