import type { Metadata } from "next";
import Link from "next/link";
import { requireAdmin } from "@/lib/auth/current-user";
import { ImportForm } from "./import-form";

export const metadata: Metadata = { title: "Import an article · Admin" };

export default async function ImportArticlePage() {
  await requireAdmin();
  return (
    <section className="admin-page">
      <p className="admin-breadcrumb">
        <Link href="/admin/articles">Articles</Link>
      </p>
      <h1>Import plain text</h1>
      <p>
        The file&apos;s first line is the headline, then the photo credit line(s), then paragraphs separated by blank lines.
        Trailing “Read more at …” and “Subscribe now.” lines are dropped. The article is published now. Importing a slug
        again replaces that article&apos;s headline and body and keeps the rest (its publication date, standfirst, byline,
        image, alt text, credit, lead-in and access), unless you tick “Replace everything”.
      </p>
      <ImportForm />
    </section>
  );
}
