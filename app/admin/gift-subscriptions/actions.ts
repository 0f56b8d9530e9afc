"use server";

import { refresh } from "next/cache";
import { getDb } from "@/db/client";
import { refundGift, resendGift, type GiftCommand } from "@/lib/admin/gift-subscriptions/commands";
import { adminAction, refused, type ActionResult } from "@/lib/admin/shared/action";
import { giftRefSchema } from "@/lib/gift-subscriptions/fields";

function answer(result: GiftCommand): ActionResult {
  if (!result.ok) return refused(result.message);
  refresh();
  return { ok: true, message: result.message };
}

export const resendGiftAction = adminAction(giftRefSchema, async ({ giftId }, admin) => answer(await resendGift(await getDb(), admin, giftId, new Date())));

export const refundGiftAction = adminAction(giftRefSchema, async ({ giftId }, admin) => answer(await refundGift(await getDb(), admin, giftId, new Date())));
