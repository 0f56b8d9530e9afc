import { NextResponse, type NextRequest } from "next/server";
import { checkDatabase } from "@/db/health";
import { CONFIRM_PAGE, withConfirmNonce } from "@/lib/auth/confirm-page-guard";
import { RECEIPT_COOKIE } from "@/lib/billing/receipt";
import { articleResponse } from "@/lib/reading/article-response";
import { slugSchema } from "@/lib/content/slug";
import { refuseMalformedAction } from "@/lib/http/action-request";
import { refuseMalformedRouterState } from "@/lib/http/router-state";
import { unlessDatabaseAnswers } from "@/lib/http/database-unavailable";
import { refuseUndecodablePath } from "@/lib/http/undecodable-path";
import { notFoundDocument } from "@/lib/ui/error-pages";

const ARTICLE_PATH = /^\/articles\/([^/]+)\/?$/;
/** Pages that read the database as they render (the matcher lists them too): 503, not 500, while it is down. */
const DATABASE_PAGES = new Set(["/", "/account", "/account/cancel", "/account/gifts", "/cancel"]);

/**
 * The request gate. For an article it meters the read and answers with the page itself (the
 * fast path); anything it lets through reaches the route handler, which decides again and never
 * counts. Pages, actions and handlers check access on their own. The sign-in confirmation page
 * gets its login-CSRF nonce here, the one place that can set a cookie for a page. A would-be
 * server action (selected by the matcher's header conditions) that is malformed gets its 400 here,
 * before Next fails to parse it, and so does a path Next cannot decode; article requests never take
 * that branch. The front page and the account pages get the 503 page here while the database does
 * not answer, as articles do: a page that throws gets Next's 500.
 */
export async function proxy(request: NextRequest) {
  const match = ARTICLE_PATH.exec(request.nextUrl.pathname);
  if (!match) {
    const refused = refuseUndecodablePath(request.nextUrl.pathname) ?? refuseMalformedRouterState(request.headers) ?? (await refuseMalformedAction(request));
    if (refused) return refused;
    if (DATABASE_PAGES.has(request.nextUrl.pathname) && (request.method === "GET" || request.method === "HEAD")) {
      const unavailable = await unlessDatabaseAnswers(() => checkDatabase(2_000));
      if (unavailable) return unavailable;
    }
    if (request.nextUrl.pathname === CONFIRM_PAGE) return withConfirmNonce(request);
    return forgetShownReceipt(request);
  }
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

/**
 * A page opened with the receipt cookie shows the receipt (pages read the cookie themselves): the
 * cookie goes with this answer, so the receipt is shown once. Only a page the browser displays
 * spends it, not a router prefetch.
 */
function forgetShownReceipt(request: NextRequest): NextResponse | undefined {
  if (request.method !== "GET" || !request.cookies.has(RECEIPT_COOKIE) || request.headers.has("rsc") || request.headers.has("next-router-prefetch")) return undefined;
  const response = NextResponse.next();
  response.cookies.delete(RECEIPT_COOKIE);
  return response;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return "";
  }
}

// The article entry comes first: Next stops at the first matcher that matches, so an article
// request is matched exactly as before. Paths with a percent-escape are checked for one Next cannot
// decode (refuseUndecodablePath). The others select what Next may take for a server action (a
// Next-Action header, a multipart body, an Origin to check, a router header on a post) on page
// paths: not the API, Next's own files, nor the route handlers that take such posts, whose bodies Next
// never parses as actions and which read them within their own limits. Those are excluded as exact
// paths (the `$`): a look-alike such as /subscribe/checkoutx is a page path to Next, which would
// parse its multipart body as an action and fail with a 500. (Literals only: Next reads this object at build time.)
export const config = {
  matcher: [
    "/articles/:slug",
    "/signin/confirm",
    "/",
    "/account",
    "/account/cancel",
    "/account/gifts",
    "/cancel",
    "/(.*%.*)",
    { source: "/((?!api/|_next/|(?:subscribe/checkout|subscribe/return|account/billing-portal|account/billing-return|account/update-card|admin/subscribers/export)$).*)", has: [{ type: "cookie", key: "masthead_receipt" }] },
    { source: "/((?!api/|_next/|(?:subscribe/checkout|subscribe/return|account/billing-portal|account/billing-return|account/update-card|admin/subscribers/export)$).*)", has: [{ type: "header", key: "next-router-state-tree" }] },
    { source: "/((?!api/|_next/|(?:subscribe/checkout|subscribe/return|account/billing-portal|account/billing-return|account/update-card|admin/subscribers/export)$).*)", has: [{ type: "header", key: "next-action" }] },
    { source: "/((?!api/|_next/|(?:subscribe/checkout|subscribe/return|account/billing-portal|account/billing-return|account/update-card|admin/subscribers/export)$).*)", has: [{ type: "header", key: "content-type", value: "multipart/form-data.*" }] },
    { source: "/((?!api/|_next/|(?:subscribe/checkout|subscribe/return|account/billing-portal|account/billing-return|account/update-card|admin/subscribers/export)$).*)", has: [{ type: "header", key: "origin" }] },
    { source: "/((?!api/|_next/|(?:subscribe/checkout|subscribe/return|account/billing-portal|account/billing-return|account/update-card|admin/subscribers/export)$).*)", has: [{ type: "header", key: "rsc" }, { type: "header", key: "content-type" }] },
  ],
};
