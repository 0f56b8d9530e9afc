import { NextResponse, type NextRequest } from "next/server";
import { meterArticleRequest } from "@/lib/access/meter-gate";
import { slugSchema } from "@/lib/content/slug";
import { notFoundDocument } from "@/lib/ui/error-pages";

const ARTICLE_PATH = /^\/articles\/([^/]+)\/?$/;

/** The request gate: meters article reads. Pages and handlers check access again on their own. */
export async function proxy(request: NextRequest) {
  const match = ARTICLE_PATH.exec(request.nextUrl.pathname);
  if (!match) return;
  const slug = slugSchema.safeParse(safeDecode(match[1]!));
  // Answered here: Next itself fails on some malformed escapes with a 500.
  if (!slug.success) {
    return new NextResponse(notFoundDocument(), {
      status: 404,
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
    });
  }
  return meterArticleRequest(request, slug.data);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return "";
  }
}

export const config = {
  matcher: ["/articles/:slug"],
};
