// Development only: `.dev.tsx` is a page extension only when NODE_ENV is not production
// (next.config.js), so production builds have no such route.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { DataTable } from "@/app/admin/_components/data-table";
import { listMailboxMessages } from "@/lib/mail/mailbox";
import { formatReceivedAt, mailboxDir } from "./mailbox-dir";

export const metadata: Metadata = { title: "Mailbox (development)", robots: { index: false, follow: false } };

export default async function MailboxPage() {
  await connection(); // read the folder per request
  if (process.env.NODE_ENV === "production") notFound();
  const dir = mailboxDir();
  const messages = await listMailboxMessages(dir);
  return (
    <section className="page mailbox">
      <h1>Mailbox</h1>
      <p className="mailbox__intro">
        Mail the site sent through the development mail sink, newest first. Stored in <code>{dir}</code>.{" "}
        <a href="/dev/mailbox">
          Refresh
        </a>
      </p>
      <DataTable
        columns={["To", "Subject", "Received"]}
        rows={messages}
        empty={<p className="form-message">No mail yet. Sign-in links and other mail sent in development appear here.</p>}
        className="mailbox__table"
      >
        {(message) => (
          <tr key={message.id}>
            <td>{message.to.join(", ")}</td>
            <td>
              <a href={`/dev/mailbox/${message.id}`}>{message.subject || "(no subject)"}</a>
            </td>
            <td>
              <time dateTime={message.receivedAt}>{formatReceivedAt(message.receivedAt)}</time>
            </td>
          </tr>
        )}
      </DataTable>
    </section>
  );
}
