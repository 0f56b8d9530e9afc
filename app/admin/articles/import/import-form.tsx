"use client";

import Link from "next/link";
import { useActionState } from "react";
import { errorProps, FieldError } from "../../_components/field-error";
import { FormMessage } from "../../_components/form-message";
import { importArticleAction } from "../actions";

/** Upload a plain-text article; on success, links to it and to its editor. */
export function ImportForm() {
  const [state, action, pending] = useActionState(importArticleAction, undefined);
  const errors = state?.ok === false ? state.fieldErrors : undefined;
  const values = state?.ok === false ? state.values : undefined;
  const imported = state?.ok ? state.data : undefined;
  return (
    <form action={action} noValidate className="admin-form" aria-label="Import">
      <FormMessage state={state} />
      {imported?.leadInWarning && <p className="field-warning">{imported.leadInWarning}</p>}
      {imported && (
        <p className="actions">
          <a href={imported.path}>Read “{imported.title}”</a>
          <Link href={`/admin/articles/${imported.id}`}>Edit it</Link>
        </p>
      )}
      <div className="field">
        <label htmlFor="file">Plain-text file (.txt)</label>
        <input id="file" name="file" type="file" accept=".txt,text/plain" required {...errorProps("file", errors)} />
        <FieldError name="file" errors={errors} />
      </div>
      <div className="field">
        <label htmlFor="access">Who may read it</label>
        <select id="access" name="access" defaultValue={values?.access ?? "metered"} aria-describedby="access-hint" {...errorProps("access", errors)}>
          <option value="metered">Metered</option>
          <option value="free">Free to everyone</option>
          <option value="subscribers">Subscribers only</option>
        </select>
        <p id="access-hint" className="field-hint">
          For a new article; importing a slug again keeps the article&apos;s access unless you replace everything.
        </p>
        <FieldError name="access" errors={errors} />
      </div>
      <div className="field">
        <label htmlFor="slug">Slug (optional)</label>
        <input id="slug" name="slug" defaultValue={values?.slug ?? ""} placeholder="from the headline" {...errorProps("slug", errors)} />
        <FieldError name="slug" errors={errors} />
      </div>
      <div className="field">
        <label className="admin-choice">
          <input type="checkbox" name="replaceAll" defaultChecked={values?.replaceAll === "on"} {...errorProps("replaceAll", errors)} />
          Replace everything if this slug exists: standfirst, byline, image, alt text, credit, lead-in and access too
        </label>
        <FieldError name="replaceAll" errors={errors} />
      </div>
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Importing…" : "Import and publish"}
      </button>
    </form>
  );
}
