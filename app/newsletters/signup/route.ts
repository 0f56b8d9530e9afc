import { NextResponse, type NextRequest } from "next/server";
import { readTouch } from "@/lib/analytics/attribution-cookie";
import { clientAddress } from "@/lib/http/client-address";
import { env } from "@/lib/env";
import { simplePage } from "@/lib/http/html-response";
import { limitedFormData } from "@/lib/http/limited-body";
import { getPublicNewsletters } from "@/lib/newsletters/catalog";
import { signupFormSchema } from "@/lib/newsletters/fields";
import { requestSignup } from "@/lib/newsletters/signup";
import { signupForm } from "@/lib/newsletters/signup-form";

// Public: the "Sign up now" form at the end of articles and on the front page (works without JavaScript).
export async function POST(request: NextRequest) {
  const body = await limitedFormData(request, env().FORM_BODY_LIMIT_BYTES);
  if (body instanceof Response) return body;
  const raw = { email: body.get("email") ?? "", newsletters: body.getAll("newsletter"), website: body.get("website") ?? "" };
  const typed = typeof raw.email === "string" ? raw.email.slice(0, 320) : "";
  const form = signupFormSchema.safeParse(raw);
  if (!form.success) return tryAgain(typed, form.error.issues[0]?.message ?? "Enter a valid email address.");
  try {
    const outcome = await requestSignup(form.data, clientAddress(request.headers), readTouch(request.cookies));
    if (outcome === "no-newsletter") return tryAgain(typed, "Choose at least one newsletter.");
  } catch (error) {
    console.error("Sending a newsletter confirmation failed:", error);
    return simplePage(503, "Please try again", signupForm(await getPublicNewsletters(), { email: typed, error: "We could not send the email just now. Please try again in a minute." }));
  }
  // Sent, or quietly refused (honeypot, blocked domain, rate limit): the same answer.
  return NextResponse.redirect(new URL("/newsletters/check-email", env().SITE_URL), 303);
}

async function tryAgain(email: string, error: string): Promise<Response> {
  return simplePage(400, "Sign up for the newsletter", signupForm(await getPublicNewsletters(), { email, error }));
}
