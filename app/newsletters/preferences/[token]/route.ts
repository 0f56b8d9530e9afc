import type { NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { limitedFormData } from "@/lib/http/limited-body";
import { newsletterIdList } from "@/lib/newsletters/fields";
import { preferencesPage } from "@/lib/newsletters/preferences-page";
import { recipientForPreferencesToken } from "@/lib/newsletters/preferences-recipient";
import { badLinkPage, tokenFrom } from "@/lib/newsletters/public-pages";
import { newsletterChoices, setSubscriptions, unsubscribe } from "@/lib/newsletters/subscriptions";

type Context = { params: Promise<{ token: string }> };

const formSchema = z.object({ intent: z.enum(["save", "unsubscribe-all"]).catch("save"), newsletters: newsletterIdList });

// Signed for one recipient, linked from every newsletter email: no sign-in needed.
export async function GET(_request: NextRequest, context: Context) {
  const token = tokenFrom((await context.params).token);
  const recipient = await recipientForPreferencesToken(await getDb(), token);
  if (!recipient) return badLinkPage();
  const choices = await newsletterChoices(await getDb(), recipient.id);
  return preferencesPage({ action: `/newsletters/preferences/${token}`, email: recipient.email, choices });
}

export async function POST(request: NextRequest, context: Context) {
  const token = tokenFrom((await context.params).token);
  const recipient = await recipientForPreferencesToken(await getDb(), token);
  if (!recipient) return badLinkPage();
  const body = await limitedFormData(request, env().FORM_BODY_LIMIT_BYTES);
  if (body instanceof Response) return body;
  const form = formSchema.safeParse({ intent: body.get("intent") ?? "save", newsletters: body.getAll("newsletter") });
  if (!form.success) return badLinkPage();
  const db = await getDb();
  if (form.data.intent === "unsubscribe-all") await unsubscribe(db, recipient.id, null);
  else await setSubscriptions(db, recipient.id, form.data.newsletters);
  const saved = form.data.intent === "unsubscribe-all" ? "You are unsubscribed from every newsletter." : "Your choices are saved.";
  return preferencesPage({ action: `/newsletters/preferences/${token}`, email: recipient.email, choices: await newsletterChoices(db, recipient.id), saved });
}
