import { NextResponse, type NextRequest } from "next/server";
import { CONFIRM_PAGE, withConfirmNonce } from "@/lib/auth/confirm-page-guard";
import { articleResponse } from "@/lib/reading/article-response";
import { slugSchema } from "@/lib/content/slug";
import { notFoundDocument } from "@/lib/ui/error-pages";

const ARTICLE_PATH = /^\/articles\/([^/]+)\/?$/;

/**
 * The request gate. For an article it meters the read and answers with the page itself (the
 * fast path); anything it lets through reaches the route handler, which decides again and never
 * counts. Pages, actions and handlers check access on their own. The sign-in confirmation page
 * gets its login-CSRF nonce here, the one place that can set a cookie for a page.
 */
export async function proxy(request: NextRequest) {
  if (request.nextUrl.pathname === CONFIRM_PAGE) return withConfirmNonce(request);
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
  if (request.method === "GET") return articleResponse(request, slug.data, "read");
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return "";
  }
}

export const config = {
  matcher: ["/articles/:slug", "/signin/confirm"],
};
