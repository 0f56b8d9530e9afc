import { randomBytes } from "node:crypto";
import { listMailboxMessages } from "@/lib/mail/mailbox";
import { launchChromium } from "./browser";
import type { Channel } from "./types";

/**
 * The mail a stranger can make the site send: a sign-in link to a new address, asked for on the
 * sign-in page in Chromium, read from the site's SMTP sink. Needs the sink's folder.
 */
export const email: Channel = {
  name: "email",
  checks: "the sign-in email a stranger can have sent to any address, read from the SMTP sink",
  async run(ctx, options) {
    if (!options.mailboxDir) {
      ctx.skip("email", "no mailbox folder (--mailbox): the site's mail could not be read");
      return;
    }
    const identity = ctx.identity("no-cookies")!;
    const address = `leak-audit-${randomBytes(4).toString("hex")}@example.test`;
    const browser = await launchChromium(options);
    try {
      const page = await browser.newPage();
      await page.goto(ctx.url(`/signin?callbackUrl=${encodeURIComponent(`/articles/${ctx.articles.find((a) => a.canaries.length > 0)?.slug ?? ""}`)}`));
      await page.getByLabel("Email address").fill(address);
      await page.getByRole("button", { name: /Email me a/ }).click();
      await page.getByRole("heading", { name: "Check your email" }).waitFor({ timeout: 15_000 });
    } finally {
      await browser.close();
    }
    const deadline = Date.now() + 15_000;
    let messages = await listMailboxMessages(options.mailboxDir, { to: address });
    while (messages.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      messages = await listMailboxMessages(options.mailboxDir, { to: address });
    }
    if (messages.length === 0) ctx.skip("email", `no sign-in mail reached the sink for ${address} within 15 s`);
    for (const message of messages) {
      ctx.count("email");
      const source = { channel: "email", identity, url: `mail to ${address}: ${message.subject}`, method: "SMTP", headers: {}, mayRead: identity.mayRead };
      ctx.inspect(source, [message.subject, message.text ?? "", message.html ?? ""].join("\n"));
    }
  },
};
