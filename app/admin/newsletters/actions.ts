"use server";

import { refresh } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { adminAction, refused, type ActionResult } from "@/lib/admin/shared/action";
import {
  IssueAlreadySent,
  NewsletterNotFound,
  resendUnknownRows,
  saveIssueDraft,
  saveNewsletter,
  saveNewsletterSettings,
  sendIssue,
  sendTestIssue,
  setNewsletterArchived,
} from "@/lib/admin/newsletters/commands";
import { adminForms, newsletterSettingsFormSchema } from "@/lib/admin/newsletters/form";
import { IssueNotSendable } from "@/lib/newsletters/issue-content";

/** A refusal the admin can act on (no such row, already sent, article unpublished): said, nothing saved. */
function refusal(error: unknown): ActionResult {
  if (error instanceof NewsletterNotFound || error instanceof IssueAlreadySent || error instanceof IssueNotSendable) return refused(error.message);
  throw error;
}

export const saveNewsletterAction = adminAction(adminForms.newsletter, async ({ id, ...form }, admin): Promise<ActionResult> => {
  let saved: number;
  try {
    saved = await saveNewsletter(await getDb(), admin, id, form);
  } catch (error) {
    return refusal(error);
  }
  if (id === null) redirect(`/admin/newsletters/${saved}?saved=created`);
  refresh();
  return { ok: true, message: "Saved." };
});

export const archiveNewsletterAction = adminAction(adminForms.archive, async ({ id, archived }, admin): Promise<ActionResult> => {
  try {
    await setNewsletterArchived(await getDb(), admin, id, archived);
  } catch (error) {
    return refusal(error);
  }
  refresh();
  return { ok: true, message: archived ? "Archived: no longer offered and no new issues; an issue already sending finishes." : "Restored." };
});

export const saveIssueAction = adminAction(adminForms.issue, async ({ issueId, newsletterId, ...form }, admin): Promise<ActionResult> => {
  if (issueId === undefined && newsletterId === undefined) return refused("Missing newsletter.");
  let id: number;
  try {
    id = await saveIssueDraft(await getDb(), admin, issueId !== undefined ? { issueId } : { newsletterId: newsletterId! }, form);
  } catch (error) {
    return refusal(error);
  }
  if (issueId === undefined) redirect(`/admin/newsletters/issues/${id}`);
  refresh();
  return { ok: true, message: "Draft saved." };
});

export const sendTestAction = adminAction(adminForms.issueId, async ({ id }, admin): Promise<ActionResult> => {
  try {
    await sendTestIssue(await getDb(), admin, id);
  } catch (error) {
    return refusal(error);
  }
  return { ok: true, message: `Test sent to ${admin.email}.` };
});

export const sendIssueAction = adminAction(adminForms.issueId, async ({ id }, admin): Promise<ActionResult> => {
  let queued: number;
  try {
    queued = await sendIssue(await getDb(), admin, id);
  } catch (error) {
    return refusal(error);
  }
  refresh();
  return { ok: true, message: `Sending to ${queued} ${queued === 1 ? "subscriber" : "subscribers"}.` };
});

export const resendUnknownAction = adminAction(adminForms.issueId, async ({ id }, admin): Promise<ActionResult> => {
  const n = await resendUnknownRows(await getDb(), admin, id);
  refresh();
  return { ok: true, message: `${n} ${n === 1 ? "message" : "messages"} queued again.` };
});

export const saveNewsletterSettingsAction = adminAction(newsletterSettingsFormSchema, async (form, admin): Promise<ActionResult> => {
  await saveNewsletterSettings(await getDb(), admin, form);
  refresh();
  return { ok: true, message: "Saved. Sign-ups and the sender use the new settings within seconds." };
});
