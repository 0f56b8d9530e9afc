import type { NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { resolveReader } from "@/lib/access/resolve-reader";
import { getArticleMeta } from "@/lib/content/article-cache";
import { slugSchema } from "@/lib/content/slug";
import { env } from "@/lib/env";
import { giftIssuedPage } from "@/lib/gifts/gift-pages";
import { isSameSite } from "@/lib/http/same-site";
import { issueGift } from "@/lib/gifts/issue-gift";
import { simplePage } from "@/lib/http/html-response";
import { limitedFormData } from "@/lib/http/limited-body";
import { getReadingSettings } from "@/lib/settings";
import { html } from "@/lib/ui/html";
import { notFoundDocument } from "@/lib/ui/error-pages";

const formSchema = z.object({ from: z.string().trim().max(40).optional().transform((v) => v || null) });

// "Gift this article": only an entitled reader, identified by their session, gets a link.
export async function POST(request: NextRequest, context: { params: Promise<{ slug: string }> }) {
  const slug = slugSchema.safeParse((await context.params).slug);
  const meta = slug.success ? await getArticleMeta(slug.data) : null;
  if (!meta) return new Response(notFoundDocument(), { status: 404, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
  if (!isSameSite(request)) return simplePage(403, "Not allowed", html`<h1>Not allowed</h1><p>Gifts can only be made from this site.</p>`);
  const body = await limitedFormData(request, env().FORM_BODY_LIMIT_BYTES);
  if (body instanceof Response) return body;
  const form = formSchema.safeParse(Object.fromEntries(body));
  if (!form.success) return simplePage(400, "Check your name", html`<h1>Check your name</h1><p>Your first name can be at most 40 characters.</p>`);
  const now = new Date();
  const { reader } = await resolveReader(request.cookies, now);
  const path = `/articles/${meta.slug}`;
  if (reader.kind !== "user") {
    return simplePage(401, "Sign in to give", html`<h1>Sign in to give this article</h1><p><a href="/signin?callbackUrl=${encodeURIComponent(path)}">Sign in</a> with your subscriber account, then choose “Gift this article” again.</p>`);
  }
  if (meta.access === "free") return simplePage(400, "Free to read", html`<h1>This article is free to read</h1><p>Anyone can read it: <a href="${path}">share its address</a>.</p>`);
  const settings = await getReadingSettings();
  const result = await issueGift(await getDb(), {
    userId: reader.userId,
    articleId: meta.id,
    senderName: form.data.from,
    now,
    timeZone: env().SITE_TIME_ZONE,
    validDays: settings.gift.validDays,
  });
  return giftIssuedPage(result, meta, settings.gift.browserLimit);
}
