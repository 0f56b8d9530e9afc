import type { Metadata } from "next";
import Link from "next/link";
import { listDemoImages } from "@/lib/admin/articles/demo-images";
import { editorValuesFor } from "@/lib/admin/articles/editor-values";
import { requireAdmin } from "@/lib/auth/current-user";
import { getReadingSettings } from "@/lib/settings";
import { ArticleEditor } from "../article-editor";

export const metadata: Metadata = { title: "New article · Admin" };

export default async function NewArticlePage() {
  await requireAdmin();
  const { defaultLeadInBlocks } = await getReadingSettings();
  return (
    <section className="admin-page admin-page--wide">
      <p className="admin-breadcrumb">
        <Link href="/admin/articles">Articles</Link>
      </p>
      <h1>New article</h1>
      <ArticleEditor initial={editorValuesFor(null)} images={listDemoImages()} defaultLeadIn={defaultLeadInBlocks} />
    </section>
  );
}
