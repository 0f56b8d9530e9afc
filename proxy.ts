import type { NextRequest } from "next/server";
import { meterArticleRequest } from "@/lib/access/meter-gate";

const ARTICLE_PATH = /^\/articles\/([^/]+)\/?$/;

/** The request gate: meters article reads. Pages and handlers check access again on their own. */
export async function proxy(request: NextRequest) {
  const match = ARTICLE_PATH.exec(request.nextUrl.pathname);
  if (match) return meterArticleRequest(request, safeDecode(match[1]!));
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return ""; // Malformed escapes: no such article; the page answers 404.
  }
}

export const config = {
  matcher: ["/articles/:slug"],
};
