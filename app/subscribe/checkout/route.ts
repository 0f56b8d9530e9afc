import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { safeCallbackPath } from "@/lib/auth/callback-path";
import { sessionTokenFrom } from "@/lib/auth/session-cookie";
import { userForSessionToken } from "@/lib/auth/session-user";
import { CHECKOUT_NONCE_COOKIE, PlanUnavailableError, startCheckout } from "@/lib/billing/checkout";
import { env } from "@/lib/env";

const formSchema = z.object({
  plan: z.coerce.number().int().positive(),
  return: z.unknown().transform((v) => safeCallbackPath(v)),
});

// Public: anyone may start a checkout for an active plan. The caller's account (if any) comes from their session.
export async function POST(request: NextRequest) {
  const form = formSchema.safeParse(Object.fromEntries(await request.formData().catch(() => new FormData())));
  const back = (query: string) => NextResponse.redirect(new URL(`/subscribe?${query}`, env().SITE_URL), 303);
  if (!form.success) return back("error=plan");
  const token = sessionTokenFrom(request.cookies);
  const user = token ? await userForSessionToken(token) : null;
  try {
    const start = await startCheckout(await getDb(), { user, planId: form.data.plan, returnPath: form.data.return });
    const response = NextResponse.redirect(start.url, 303);
    if (start.kind === "checkout") {
      response.cookies.set(CHECKOUT_NONCE_COOKIE, start.nonce, {
        httpOnly: true,
        sameSite: "lax",
        secure: env().SITE_URL.startsWith("https://"),
        path: "/subscribe/return",
        maxAge: 24 * 3600,
      });
    }
    return response;
  } catch (error) {
    if (error instanceof PlanUnavailableError) return back(`error=plan&return=${encodeURIComponent(form.data.return)}`);
    console.error("Starting checkout failed:", error);
    return back(`error=unavailable&return=${encodeURIComponent(form.data.return)}`);
  }
}
