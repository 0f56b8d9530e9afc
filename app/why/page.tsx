import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import { notFound } from "next/navigation";
import { slugSchema } from "@/lib/content/slug";
import { clientAddress } from "@/lib/http/client-address";
import { whyForReader } from "@/lib/trace/reader-why";

export const metadata: Metadata = { title: "Why am I seeing this?", robots: { index: false } };

// Linked from the paywall card: why this reader, and only this reader, sees what they see.
export default async function WhyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const slug = slugSchema.safeParse((await searchParams).article);
  if (!slug.success) notFound();
  const why = await whyForReader(await cookies(), slug.data, new Date(), clientAddress(await headers()));
  if (!why) notFound();
  const { explanation } = why;
  return (
    <section className="page">
      <h1>Why am I seeing this?</h1>
      <p>
        About <a href={why.path}>{why.title}</a>:
      </p>
      <p data-testid="why-summary">{explanation.summary}</p>
      {explanation.details.map((line) => (
        <p key={line}>{line}</p>
      ))}
      {explanation.actions.length > 0 && (
        <ul className="why-actions" role="list">
          {explanation.actions.map((action) => (
            <li key={action.href}>
              <a href={action.href}>{action.label}</a>
            </li>
          ))}
        </ul>
      )}
      <p className="why-trace">
        If you write to us about it, include this trace id: it lets us see the same decision. <code data-testid="trace-id">{why.traceId}</code>
      </p>
    </section>
  );
}
