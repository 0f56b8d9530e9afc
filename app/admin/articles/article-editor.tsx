"use client";

import { useActionState, useState } from "react";
import type { EditorValues } from "@/lib/admin/articles/editor-values";
import { markdownToBlocks } from "@/lib/content/markdown";
import { previewBlockCount, previewWarning, wordCount } from "@/lib/content/preview-cut";
import { slugify } from "@/lib/content/slug";
import { errorProps, FieldError } from "../_components/field-error";
import { FormMessage } from "../_components/form-message";
import { saveArticleAction } from "./actions";
import { MarkdownPreview } from "./markdown-preview";

type TextField = "slug" | "dek" | "byline" | "heroImage" | "heroImageAlt" | "heroImageCredit" | "access" | "publishAt";

const SUBMIT_LABEL = { draft: "Save draft", now: "Publish now", schedule: "Schedule" } as const;

/** The article form with a live preview of the body, converted as the server will convert it. */
export function ArticleEditor({ initial, images, defaultLeadIn }: { initial: EditorValues; images: string[]; defaultLeadIn: number }) {
  const [state, action, pending] = useActionState(saveArticleAction, undefined);
  const errors = state?.ok === false ? state.fieldErrors : undefined;
  const value = (name: TextField) => (state?.ok === false ? state.values?.[name] : undefined) ?? initial[name];

  const [title, setTitle] = useState(initial.title);
  const [body, setBody] = useState(initial.body);
  const [leadIn, setLeadIn] = useState(initial.leadInBlocks);
  const [publication, setPublication] = useState(initial.publication);
  const leadInCount = /^\d+$/.test(leadIn) && Number(leadIn) >= 1 ? Number(leadIn) : defaultLeadIn;
  // Converted and cut as the server will: the preview shows where readers without access stop.
  const blocks = markdownToBlocks(body);
  const wordCounts = blocks.map((block) => wordCount(block.text));
  const leadInWarning = blocks.length > 0 ? previewWarning(wordCounts, leadInCount) : null;
  const imageChoices = initial.heroImage && !images.includes(initial.heroImage) ? [initial.heroImage, ...images] : images;
  const submitLabel = publication === "now" && initial.status === "published" ? "Save changes" : SUBMIT_LABEL[publication];

  return (
    <div className="admin-editor">
      <form action={action} noValidate className="admin-editor__form" aria-label="Article">
        {initial.id !== null && <input type="hidden" name="id" value={initial.id} />}
        <FormMessage state={state} />

        <div className="field">
          <label htmlFor="title">Headline</label>
          <input id="title" name="title" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} required {...errorProps("title", errors)} />
          <FieldError name="title" errors={errors} />
        </div>

        <div className="field">
          <label htmlFor="slug">Slug</label>
          <input id="slug" name="slug" defaultValue={value("slug")} placeholder={slugify(title) || "from-the-headline"} aria-describedby="slug-hint" {...errorProps("slug", errors)} />
          <p id="slug-hint" className="field-hint">
            The address: /articles/<em>slug</em>. Leave blank to make it from the headline.
          </p>
          <FieldError name="slug" errors={errors} />
        </div>

        <div className="field">
          <label htmlFor="dek">Standfirst</label>
          <textarea id="dek" name="dek" rows={2} defaultValue={value("dek")} maxLength={400} {...errorProps("dek", errors)} />
          <FieldError name="dek" errors={errors} />
        </div>

        <div className="field">
          <label htmlFor="byline">Byline</label>
          <input id="byline" name="byline" defaultValue={value("byline")} maxLength={200} {...errorProps("byline", errors)} />
          <FieldError name="byline" errors={errors} />
        </div>

        <fieldset className="admin-fieldset">
          <legend>Image</legend>
          <div className="field">
            <label htmlFor="heroImage">Picture</label>
            <select id="heroImage" name="heroImage" defaultValue={value("heroImage")} {...errorProps("heroImage", errors)}>
              <option value="">No image</option>
              {imageChoices.map((path) => (
                <option key={path} value={path}>
                  {path.split("/").at(-1)}
                </option>
              ))}
            </select>
            <FieldError name="heroImage" errors={errors} />
          </div>
          <div className="field">
            <label htmlFor="heroImageAlt">Alt text</label>
            <input id="heroImageAlt" name="heroImageAlt" defaultValue={value("heroImageAlt")} maxLength={500} {...errorProps("heroImageAlt", errors)} />
            <FieldError name="heroImageAlt" errors={errors} />
          </div>
          <div className="field">
            <label htmlFor="heroImageCredit">Credit</label>
            <input id="heroImageCredit" name="heroImageCredit" defaultValue={value("heroImageCredit")} maxLength={300} {...errorProps("heroImageCredit", errors)} />
            <FieldError name="heroImageCredit" errors={errors} />
          </div>
        </fieldset>

        <div className="field">
          <label htmlFor="body">Body (Markdown)</label>
          <p id="body-hint" className="field-hint">
            Paragraphs separated by a blank line; <code>## </code> starts a heading, <code>&gt; </code> a quote. Plain text otherwise.
          </p>
          <textarea
            id="body"
            name="body"
            rows={18}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            className="admin-editor__body"
            {...errorProps("body", errors)}
            aria-describedby={errors?.body ? "body-hint body-error" : "body-hint"}
          />
          <FieldError name="body" errors={errors} />
        </div>

        <div className="field">
          <label htmlFor="leadInBlocks">Lead-in length (paragraphs everyone may read)</label>
          <input
            id="leadInBlocks"
            name="leadInBlocks"
            inputMode="numeric"
            value={leadIn}
            onChange={(e) => setLeadIn(e.target.value)}
            placeholder={`Site default: ${defaultLeadIn}`}
            {...errorProps("leadInBlocks", errors)}
          />
          <FieldError name="leadInBlocks" errors={errors} />
          <div aria-live="polite">{leadInWarning && <p className="field-warning">{leadInWarning}</p>}</div>
        </div>

        <div className="field">
          <label htmlFor="access">Who may read it</label>
          <select id="access" name="access" defaultValue={value("access")} {...errorProps("access", errors)}>
            <option value="metered">Metered: counts against the free articles</option>
            <option value="free">Free to everyone</option>
            <option value="subscribers">Subscribers only</option>
          </select>
          <FieldError name="access" errors={errors} />
        </div>

        <fieldset className="admin-fieldset">
          <legend>Publication</legend>
          {initial.publishedAt && (
            <p className="field-hint">
              Currently {initial.status} ({new Date(initial.publishedAt).toISOString().slice(0, 16).replace("T", " ")} UTC).
            </p>
          )}
          {(
            [
              ["draft", initial.status === "draft" ? "Save as a draft" : "Draft (take it off the site)"],
              ["now", initial.status === "published" ? "Published (keep its date)" : "Publish now"],
              ["schedule", "Schedule for later"],
            ] as const
          ).map(([choice, label]) => (
            <label key={choice} className="admin-choice">
              <input type="radio" name="publication" value={choice} checked={publication === choice} onChange={() => setPublication(choice)} />
              {label}
            </label>
          ))}
          <FieldError name="publication" errors={errors} />
          {publication === "schedule" && (
            <div className="field">
              <label htmlFor="publishAt">Publish at (UTC)</label>
              <input id="publishAt" name="publishAt" type="datetime-local" defaultValue={value("publishAt")} {...errorProps("publishAt", errors)} />
              <FieldError name="publishAt" errors={errors} />
            </div>
          )}
        </fieldset>

        <div className="actions">
          <button className="button" type="submit" disabled={pending}>
            {pending ? "Saving…" : submitLabel}
          </button>
        </div>
      </form>

      <section className="admin-preview" aria-label="Preview">
        <h2 className="admin-preview__label">Preview</h2>
        <div className="article admin-preview__article">
          <h1 className="article__title">{title || "Headline"}</h1>
          <MarkdownPreview blocks={blocks} shown={previewBlockCount(wordCounts, leadInCount)} />
        </div>
      </section>
    </div>
  );
}
