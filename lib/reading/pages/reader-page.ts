import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { userForSessionToken, type SessionUser } from "@/lib/auth/session-user";
import { checkoutReceipt, receiptBanner, RECEIPT_COOKIE } from "@/lib/billing/receipt";
import { env } from "@/lib/env";
import { sessionTokenFrom } from "@/lib/http/cookies";
import { html, type SafeHtml } from "@/lib/ui/html";
import { documentShell, headerStateFrom } from "@/lib/ui/site-chrome";

/** The signed-in reader behind a request's session cookie, or null. */
export async function readerOf(request: NextRequest): Promise<SessionUser | null> {
  const token = sessionTokenFrom(request.cookies);
  return token ? userForSessionToken(token) : null;
}

export interface ReaderPage {
  /** The page's own title; the site's name follows it. Null for the front page (the site's name alone). */
  title: string | null;
  main: SafeHtml;
  status?: number;
  /** Pages that are nobody's landing page: kept out of search results. */
  noindex?: boolean;
  /** Pages a reader may return to from Checkout show the receipt banner once, at the top. */
  receipt?: boolean;
  /** The reader, when the page has looked them up already. */
  user?: SessionUser | null;
}

const HEADERS = {
  "content-type": "text/html; charset=utf-8",
  // Per reader (header, receipt, account): never kept by a shared cache.
  "cache-control": "private, no-store",
  vary: "Cookie",
};

/**
 * A reader page as one HTML string (decision 0028): the article pages' chrome, the header chosen
 * from the cookies alone, no client script. The receipt cookie is spent by the page that shows it.
 */
export async function readerPageResponse(request: NextRequest, page: ReaderPage): Promise<Response> {
  const { SITE_NAME } = env();
  const receipt = page.receipt ? await receiptBannerFor(request, page.user) : null;
  const document = documentShell({
    title: page.title === null ? SITE_NAME : `${page.title} — ${SITE_NAME}`,
    head: html`<meta name="description" content="${SITE_NAME}: independent reporting from Port Calder and the coast.">
<meta name="theme-color" content="#ffffff">${page.noindex ? html`\n<meta name="robots" content="noindex">` : ""}`,
    main: receipt ? html`${receipt}${page.main}` : page.main,
    header: headerStateFrom(request.cookies),
  });
  const response = new NextResponse(request.method === "HEAD" ? null : document, { status: page.status ?? 200, headers: HEADERS });
  if (request.cookies.has(RECEIPT_COOKIE)) response.cookies.delete(RECEIPT_COOKIE);
  return response;
}

/** The receipt of the checkout this reader just came back from, when the cookie names one of theirs. */
async function receiptBannerFor(request: NextRequest, known: SessionUser | null | undefined): Promise<SafeHtml | null> {
  const checkout = request.cookies.get(RECEIPT_COOKIE)?.value;
  if (!checkout) return null;
  const user = known === undefined ? await readerOf(request) : known;
  if (!user) return null;
  try {
    const receipt = await checkoutReceipt(await getDb(), checkout, user.id);
    return receipt ? receiptBanner(receipt) : null;
  } catch (error) {
    // The page stands without its receipt: the account page has the same facts.
    console.error("The checkout receipt could not be shown:", error);
    return null;
  }
}

/** 303 to another page of ours (after a POST, or to sign in first). */
export function seeOther(path: string): Response {
  return new Response(null, { status: 303, headers: { location: new URL(path, env().SITE_URL).toString(), "cache-control": "no-store" } });
}

/** Where a signed-out reader is sent from a page that needs an account. */
export function toSignIn(callbackPath: string): Response {
  return seeOther(`/signin?callbackUrl=${encodeURIComponent(callbackPath)}`);
}
