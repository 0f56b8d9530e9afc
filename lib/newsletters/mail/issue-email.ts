import "server-only";
import type { Block } from "@/lib/content/blocks";
import { env } from "@/lib/env";
import { emailButton, emailLayout } from "@/lib/mail/templates/layout";
import type { OutgoingMail } from "@/lib/mail/transport";
import { escapeHtml } from "@/lib/ui/html";
import type { IssueContent } from "../issue-content";
import { newsletterLinks } from "../signed-links";

export interface IssueRecipient {
  outboxId: number;
  userId: string;
  email: string;
}

/**
 * One recipient's copy of an issue. `locked` is the rest of the article for a recipient
 * entitled to it, and null for everyone else, who get the lead-in and "Read on": the locked
 * part is never passed here for them, so it cannot reach their inbox.
 * Every copy carries RFC 8058 one-click unsubscribe headers for this recipient and list.
 */
export function issueEmail(content: IssueContent, recipient: IssueRecipient, locked: Block[] | null): OutgoingMail {
  const { SITE_URL, SITE_NAME, EMAIL_FROM } = env();
  const { issue, newsletter, article } = content;
  const unsubscribeUrl = newsletterLinks.unsubscribe(recipient.userId, newsletter.id);
  const preferencesUrl = newsletterLinks.preferences(recipient.userId);
  const articleUrl = article ? new URL(`/articles/${article.slug}`, SITE_URL).toString() : null;
  const host = new URL(SITE_URL).hostname;

  const bodyHtml = [
    article ? `<h1 style="font-size:24px;line-height:1.25;margin:0 0 8px">${escapeHtml(article.title)}</h1>` : "",
    article?.dek ? `<p style="margin:0 0 16px;color:#464c57;font-size:18px">${escapeHtml(article.dek)}</p>` : "",
    blocksToEmailHtml(content.open),
    locked ? blocksToEmailHtml(locked) : "",
    articleUrl && !locked ? emailButton(articleUrl, "Read on") : "",
    articleUrl && locked ? `<p style="margin:16px 0 0"><a href="${escapeHtml(articleUrl)}" style="color:#0b4f8a">Read it on the site</a></p>` : "",
    `<p style="margin:24px 0 0;font-size:13px;color:#464c57"><a href="${escapeHtml(preferencesUrl)}" style="color:#0b4f8a">Manage your newsletters</a> · <a href="${escapeHtml(unsubscribeUrl)}" style="color:#0b4f8a">Unsubscribe</a></p>`,
  ].join("\n");
  const textParts = [
    article ? `${article.title}\n${article.dek ?? ""}`.trim() : "",
    blocksToText(content.open),
    locked ? blocksToText(locked) : "",
    articleUrl ? `${locked ? "On the site" : "Read on"}: ${articleUrl}` : "",
    `--\nManage your newsletters: ${preferencesUrl}\nUnsubscribe: ${unsubscribeUrl}`,
  ];
  return {
    to: recipient.email,
    from: { name: newsletter.senderName, address: fromAddress(EMAIL_FROM) },
    subject: issue.subject,
    messageId: `<newsletter-${issue.id}-${recipient.outboxId}@${host}>`,
    headers: {
      "List-Unsubscribe": `<${unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "List-Id": `${newsletter.name.replace(/[<>"]/g, "")} <newsletter-${newsletter.id}.${host}>`,
    },
    html: emailLayout({
      siteName: SITE_NAME,
      preheader: article?.dek ?? issue.subject,
      bodyHtml,
      footer: `You receive ${newsletter.name} because ${recipient.email} subscribed to it at ${SITE_NAME}.`,
    }),
    text: `${textParts.filter(Boolean).join("\n\n")}\n`,
  };
}

function blocksToEmailHtml(blocks: Block[]): string {
  return blocks
    .map((b) =>
      b.kind === "heading"
        ? `<h2 style="font-size:19px;margin:20px 0 8px">${escapeHtml(b.text)}</h2>`
        : b.kind === "quote"
          ? `<blockquote style="margin:0 0 12px;padding-left:12px;border-left:3px solid #a4161a;color:#464c57">${escapeHtml(b.text)}</blockquote>`
          : `<p style="margin:0 0 12px">${escapeHtml(b.text)}</p>`,
    )
    .join("\n");
}

function blocksToText(blocks: Block[]): string {
  return blocks.map((b) => (b.kind === "heading" ? b.text.toUpperCase() : b.kind === "quote" ? `> ${b.text}` : b.text)).join("\n\n");
}

/** The address part of EMAIL_FROM ("Name <a@b>" or "a@b"): newsletters send from it under their own name. */
function fromAddress(from: string): string {
  return /<([^<>\s]+)>\s*$/.exec(from)?.[1] ?? from.trim();
}
