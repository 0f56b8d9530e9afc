import { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/auth";
import { env } from "@/lib/env";
import { limitedBody } from "@/lib/http/limited-body";

// Email sign-in is completed only by the POST from our confirmation page, and requested only
// through our rate-limited sign-in action: the equivalent Auth.js GET and POST are closed.
const EMAIL_CALLBACK = "/api/auth/callback/nodemailer";
const EMAIL_SIGNIN = "/api/auth/signin/nodemailer";

export function GET(request: NextRequest) {
  if (request.nextUrl.pathname === EMAIL_CALLBACK) {
    const confirm = new URL("/signin/confirm", request.nextUrl.origin);
    confirm.search = request.nextUrl.search;
    return Response.redirect(confirm, 303);
  }
  return handlers.GET(request);
}

export async function POST(request: NextRequest) {
  if (request.nextUrl.pathname === EMAIL_SIGNIN) return new Response("Not found", { status: 404 });
  const body = await limitedBody(request, env().FORM_BODY_LIMIT_BYTES);
  if (body instanceof Response) return body;
  return handlers.POST(new NextRequest(request.url, { method: "POST", headers: request.headers, body }));
}
