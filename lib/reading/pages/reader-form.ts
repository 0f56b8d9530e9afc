import "server-only";
import type { NextRequest } from "next/server";
import type { SessionUser } from "@/lib/auth/session-user";
import { env } from "@/lib/env";
import { simplePage } from "@/lib/http/html-response";
import { limitedFormData } from "@/lib/http/limited-body";
import { isSameSite } from "@/lib/http/same-site";
import { html } from "@/lib/ui/html";
import { readerOf, toSignIn } from "./reader-page";

export type ReaderForm = { user: SessionUser; form: FormData };

/**
 * The checks every plain-HTML form post of a reader page makes first (each handler is a public
 * endpoint): posted from this site, by a signed-in reader (else off to sign in, then back to
 * `page`), with a form body within the public limit. The handler then parses the fields with zod.
 */
export async function readerForm(request: NextRequest, page: string): Promise<ReaderForm | Response> {
  if (!isSameSite(request)) return simplePage(403, "Not allowed", html`<h1>Not allowed</h1><p>This form can only be sent from this site.</p>`);
  const user = await readerOf(request);
  if (!user) return toSignIn(page);
  const form = await limitedFormData(request, env().FORM_BODY_LIMIT_BYTES);
  if (form instanceof Response) return form;
  return { user, form };
}
