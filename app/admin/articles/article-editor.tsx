"use client";

import { useState } from "react";
import { useAdminForm } from "../_components/use-admin-form";
import type { EditorValues } from "@/lib/admin/articles/editor-values";
import { markdownToBlocks } from "@/lib/content/markdown";
import { previewBlockCount, previewWarning, wordCount } from "@/lib/content/preview-cut";
import { slugify } from "@/lib/content/slug";
import { Field, InputField } from "../_components/field";
import { errorProps, FieldError } from "../_components/field-error";
import { FormMessage } from "../_components/form-message";
import { saveArticleAction } from "./actions";
import { MarkdownPreview } from "./markdown-preview";

type TextField = "slug" | "dek" | "byline" | "heroImage" | "heroImageAlt" | "heroImageCredit" | "access" | "publishAt";

const SUBMIT_LABEL = { draft: "Save draft", now: "Publish now", schedule: "Schedule" } as const;

/** The article form with a live preview of the body, converted as the server will convert it. */
export function ArticleEditor({ initial, images, defaultLeadIn }: { initial: EditorValues; images: string[]; defaultLeadIn: number }) {
  const { state, pending, formProps, errors, submitted } = useAdminForm(saveArticleAction);
  const value = (name: TextField) => submitted?.[name] ?? initial[name];

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
      <form {...formProps} noValidate className="admin-editor__form" aria-label="Article">
        {initial.id !== null && <input type="hidden" name="id" value={initial.id} />}
        <FormMessage state={state} />

        <InputField name="title" label="Headline" errors={errors} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} required />

        <InputField
          name="slug"
          label="Slug"
          errors={errors}
          hint={
            <>
              The address: /articles/<em>slug</em>. Leave blank to make it from the headline.
            </>
          }
          defaultValue={value("slug")}
          placeholder={slugify(title) || "from-the-headline"}
        />

        <Field name="dek" label="Standfirst" errors={errors}>
          {(control) => <textarea {...control} rows={2} defaultValue={value("dek")} maxLength={400} />}
        </Field>

        <InputField name="byline" label="Byline" errors={errors} defaultValue={value("byline")} maxLength={200} />

        <fieldset className="admin-fieldset">
          <legend>Image</legend>
          <Field name="heroImage" label="Picture" errors={errors}>
            {(control) => (
              <select {...control} defaultValue={value("heroImage")}>
                <option value="">No image</option>
                {imageChoices.map((path) => (
                  <option key={path} value={path}>
                    {path.split("/").at(-1)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <InputField name="heroImageAlt" label="Alt text" errors={errors} defaultValue={value("heroImageAlt")} maxLength={500} />
          <InputField name="heroImageCredit" label="Credit" errors={errors} defaultValue={value("heroImageCredit")} maxLength={300} />
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

        <Field name="access" label="Who may read it" errors={errors}>
          {(control) => (
            <select {...control} defaultValue={value("access")}>
              <option value="metered">Metered: counts against the free articles</option>
              <option value="free">Free to everyone</option>
              <option value="subscribers">Subscribers only</option>
            </select>
          )}
        </Field>

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
            <InputField name="publishAt" label="Publish at (UTC)" errors={errors} type="datetime-local" defaultValue={value("publishAt")} />
          )}
        </fieldset>

        {errors?.confirmRepeats && state?.ok === false && (
          <div className="field field-warning" role="alert" data-repeat-warning>
            <ul>
              {errors.confirmRepeats.split("\n").map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            <label className="admin-choice">
              <input type="checkbox" name="confirmRepeats" value={state.values?.confirmRepeats ?? ""} />
              The repetition is intended: publish it anyway (recorded in the audit log)
            </label>
          </div>
        )}

        <div className="actions">
          <button className="button" type="submit" disabled={pending}>
            {pending ? "Saving…" : submitLabel}
          </button>
        </div>
      </form>

      {/* Focusable so a keyboard can scroll it: it scrolls on its own beside the form. */}
      <section className="admin-preview" aria-label="Preview" tabIndex={0}>
        <h2 className="admin-preview__label">Preview</h2>
        <div className="article admin-preview__article">
          <h1 className="article__title">{title || "Headline"}</h1>
          <MarkdownPreview blocks={blocks} shown={previewBlockCount(wordCounts, leadInCount)} />
        </div>
      </section>
    </div>
  );
}
