import { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/auth";
import { refuseAuthRequest } from "@/lib/auth/auth-request";
import { CONFIRM_PAGE, EMAIL_CALLBACK, isFromConfirmPage } from "@/lib/auth/confirm-page-guard";
import { env } from "@/lib/env";
import { limitedBody } from "@/lib/http/limited-body";

// Email sign-in is completed only by the same-origin POST from our confirmation page, and
// requested only through our rate-limited sign-in action: the equivalent Auth.js GET and POST
// are closed. Requests Auth.js would fail on (unknown actions, bad callback URLs) are answered
// 404 or 400 before it runs (refuseAuthRequest).
const EMAIL_SIGNIN = "/api/auth/signin/nodemailer";

export function GET(request: NextRequest) {
  const refused = refuseAuthRequest(request);
  if (refused) return refused;
  if (request.nextUrl.pathname === EMAIL_CALLBACK) {
    const confirm = new URL(CONFIRM_PAGE, request.nextUrl.origin);
    confirm.search = request.nextUrl.search;
    return Response.redirect(confirm, 303);
  }
  return handlers.GET(request);
}

export async function POST(request: NextRequest) {
  if (request.nextUrl.pathname === EMAIL_SIGNIN) return new Response("Not found", { status: 404 });
  const body = await limitedBody(request, env().FORM_BODY_LIMIT_BYTES);
  if (body instanceof Response) return body;
  const refused = refuseAuthRequest(request, body);
  if (refused) return refused;
  const bounded = new NextRequest(request.url, { method: "POST", headers: request.headers, body });
  // Refused before Auth.js sees it: nobody is signed in and the token stays unused.
  if (request.nextUrl.pathname === EMAIL_CALLBACK && !(await isFromConfirmPage(bounded))) {
    return new Response("This sign-in did not come from our confirmation page. Open the link in your email again.", {
      status: 403,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  }
  return handlers.POST(bounded);
}
