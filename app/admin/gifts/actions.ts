"use server";

import { refresh } from "next/cache";
import { getDb } from "@/db/client";
import { adminAction, refused, type ActionResult } from "@/lib/admin/shared/action";
import {
  revokeAllPublisherLinks,
  revokeGiftAsAdmin,
  revokePublisherLink,
  rotatePublisherLink,
  saveGiftSettings,
  setPlanGiftAllowance,
} from "@/lib/admin/gifts/commands";
import { articleRefSchema, giftRefSchema, giftSettingsSchema, planAllowanceSchema, revokeAllSchema } from "@/lib/admin/gifts/form";

/** How long subscribers' gifts last and how many browsers may open one (audited; every instance hears of it). */
export const saveGiftSettingsAction = adminAction(giftSettingsSchema, async (values, admin): Promise<ActionResult> => {
  const { changed } = await saveGiftSettings(await getDb(), admin, values);
  refresh();
  return { ok: true, message: changed ? "Gift settings saved." : "Nothing changed." };
});

/** Makes the article's publisher link; a live one is revoked in the same transaction. */
export const rotatePublisherLinkAction = adminAction(articleRefSchema, async ({ articleId }, admin): Promise<ActionResult> => {
  await rotatePublisherLink(await getDb(), admin, articleId);
  refresh();
  return { ok: true, message: "New link made; the old one no longer opens the article." };
});

export const revokePublisherLinkAction = adminAction(articleRefSchema, async ({ articleId }, admin): Promise<ActionResult> => {
  const { revoked } = await revokePublisherLink(await getDb(), admin, articleId);
  refresh();
  return { ok: true, message: revoked > 0 ? "Link revoked." : "There was no live link." };
});

export const revokeAllPublisherLinksAction = adminAction(revokeAllSchema, async (_input, admin): Promise<ActionResult> => {
  const { revoked } = await revokeAllPublisherLinks(await getDb(), admin);
  refresh();
  return { ok: true, message: `${revoked} publisher ${revoked === 1 ? "link" : "links"} revoked.` };
});

/** Any gift, a subscriber's included (say, one posted on a public forum). */
export const revokeGiftAction = adminAction(giftRefSchema, async ({ giftId }, admin): Promise<ActionResult> => {
  const { revoked } = await revokeGiftAsAdmin(await getDb(), admin, giftId);
  refresh();
  return { ok: true, message: revoked ? "Gift revoked." : "Already revoked." };
});

/** A plan's gifts per calendar month. */
export const setPlanGiftAllowanceAction = adminAction(planAllowanceSchema, async (input, admin): Promise<ActionResult> => {
  const { found } = await setPlanGiftAllowance(await getDb(), admin, input);
  refresh();
  if (!found) return refused("No such plan.");
  return { ok: true, message: `Saved: ${input.giftAllowance} ${input.giftAllowance === 1 ? "gift" : "gifts"} a month.` };
});
