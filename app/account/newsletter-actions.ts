"use server";

import { refresh } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/current-user";
import { newsletterIdList } from "@/lib/newsletters/fields";
import { setSubscriptions, unsubscribe } from "@/lib/newsletters/subscriptions";

const formSchema = z.object({ intent: z.enum(["save", "unsubscribe-all"]).catch("save"), newsletters: newsletterIdList.catch([]) });

/** The signed-in reader's own lists (never anyone else's: the user comes from the session). */
export async function saveNewsletterPreferences(formData: FormData): Promise<void> {
  const user = await requireUser("/account");
  const form = formSchema.parse({ intent: formData.get("intent") ?? "save", newsletters: formData.getAll("newsletter") });
  const db = await getDb();
  if (form.intent === "unsubscribe-all") await unsubscribe(db, user.id, null);
  else await setSubscriptions(db, user.id, form.newsletters);
  refresh();
}
