import { z } from "zod";
import { checkbox, headerText } from "@/lib/newsletters/fields";

/** The newsletter admin forms; names and subjects go into mail headers, so headerText refuses line breaks. */

export const newsletterFormSchema = z.object({
  name: headerText("name", 80),
  description: z.preprocess((v) => (typeof v === "string" ? v : ""), z.string().trim().max(500, "The description is too long (at most 500 characters).")),
  senderName: headerText("sender name", 80),
  subscribeOnSignup: checkbox,
  audience: z.enum(["everyone", "paid"], { error: "Choose who may subscribe." }),
});
export type NewsletterForm = z.infer<typeof newsletterFormSchema>;

export const issueFormSchema = z
  .object({
    subject: headerText("subject", 150),
    source: z.enum(["markdown", "article"], { error: "Choose what the issue carries." }),
    markdown: z.preprocess((v) => (typeof v === "string" ? v : ""), z.string().max(100_000, "The text is too long.")),
    articleId: z.preprocess((v) => (v === "" || v === undefined ? null : v), z.coerce.number().int().positive().nullable()),
    segment: z.enum(["everyone", "free", "paid"], { error: "Choose who receives it." }),
  })
  .superRefine((v, ctx) => {
    if (v.source === "markdown" && !v.markdown.trim()) ctx.addIssue({ code: "custom", path: ["markdown"], message: "Write the issue's text." });
    if (v.source === "article" && v.articleId === null) ctx.addIssue({ code: "custom", path: ["articleId"], message: "Choose an article." });
  });
export type IssueForm = z.infer<typeof issueFormSchema>;

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "Each blocked domain must look like example.com, one per line.");

export const newsletterSettingsFormSchema = z.object({
  blockedDomains: z.preprocess(
    (v) => (typeof v === "string" ? v.split(/[\s,]+/).filter(Boolean) : []),
    z.array(domain).max(10_000, "At most 10,000 blocked domains."),
  ),
  messagesPerSecond: z.coerce
    .number({ error: "Enter a number of messages per second." })
    .int("Enter a whole number of messages per second.")
    .min(1, "At least 1 message per second.")
    .max(1000, "At most 1,000 messages per second."),
});
export type NewsletterSettingsForm = z.infer<typeof newsletterSettingsFormSchema>;

const id = z.coerce.number({ error: "Missing id." }).int().positive();

/** The admin actions' inputs: the forms above with the row they act on. */
export const adminForms = {
  newsletter: newsletterFormSchema.extend({ id: z.preprocess((v) => (v === "" || v === undefined ? null : v), id.nullable()) }),
  archive: z.object({ id, archived: z.enum(["true", "false"]).transform((v) => v === "true") }),
  issue: z.intersection(z.object({ issueId: z.preprocess((v) => (v === "" ? undefined : v), id.optional()), newsletterId: z.preprocess((v) => (v === "" ? undefined : v), id.optional()) }), issueFormSchema),
  issueId: z.object({ id }),
};
