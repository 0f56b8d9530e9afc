import "server-only";
import type { NextRequest } from "next/server";
import { slugSchema } from "@/lib/content/slug";
import { clientAddress } from "@/lib/http/client-address";
import { whyForReader } from "@/lib/trace/reader-why";
import { notFoundNotice } from "@/lib/ui/error-pages";
import { html } from "@/lib/ui/html";
import { readerPageResponse } from "./reader-page";

/** "Why am I seeing this?", linked from the paywall card: why this reader, and only this reader, sees what they see. */
export async function whyPageResponse(request: NextRequest): Promise<Response> {
  const slug = slugSchema.safeParse(request.nextUrl.searchParams.get("article"));
  const why = slug.success ? await whyForReader(request.cookies, slug.data, new Date(), clientAddress(request.headers)) : null;
  if (!why) return readerPageResponse(request, { title: "Page not found", status: 404, main: notFoundNotice() });
  const { explanation } = why;
  return readerPageResponse(request, {
    title: "Why am I seeing this?",
    noindex: true,
    main: html`<section class="page">
  <h1>Why am I seeing this?</h1>
  <p>About <a href="${why.path}">${why.title}</a>:</p>
  <p data-testid="why-summary">${explanation.summary}</p>
  ${explanation.details.map((line) => html`<p>${line}</p>`)}
  ${why.variants.length > 0 ? html`<p data-testid="why-variants">We are trying out different versions of our paywall, and you are seeing one of them (the limits above are the ones it sets). Your trace id below tells us which.</p>` : ""}
  ${explanation.actions.length > 0 ? html`<ul class="why-actions" role="list">${explanation.actions.map((action) => html`<li><a href="${action.href}">${action.label}</a></li>`)}</ul>` : ""}
  <p class="why-trace">If you write to us about it, include this trace id: it lets us see the same decision. <code data-testid="trace-id">${why.traceId}</code></p>
</section>`,
  });
}
