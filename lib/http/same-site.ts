import { env } from "@/lib/env";

/**
 * A form post from this site: its Origin (or, without one, its Referer) is ours. The session cookie
 * is SameSite=Lax already; this also refuses a cross-site post from a browser that sends it anyway.
 */
export function isSameSite(request: Request): boolean {
  const from = request.headers.get("origin") ?? request.headers.get("referer");
  if (!from) return true;
  try {
    const origin = new URL(from).origin;
    return origin === env().SITE_URL || origin === new URL(request.url).origin;
  } catch {
    return false;
  }
}
