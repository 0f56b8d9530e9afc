"use client";

import Link from "next/link";
import { useAdminForm } from "../../_components/use-admin-form";
import { Field, InputField } from "../../_components/field";
import { errorProps, FieldError } from "../../_components/field-error";
import { FormMessage } from "../../_components/form-message";
import { importArticleAction } from "../actions";

/** Upload a plain-text article; on success, links to it and to its editor. */
export function ImportForm() {
  const { state, pending, formProps, errors, submitted: values } = useAdminForm(importArticleAction);
  const imported = state?.ok ? state.data : undefined;
  return (
    <form {...formProps} noValidate className="admin-form" aria-label="Import">
      <FormMessage state={state} />
      {imported?.leadInWarning && <p className="field-warning">{imported.leadInWarning}</p>}
      {imported && (
        <p className="actions">
          <a href={imported.path}>Read “{imported.title}”</a>
          <Link href={`/admin/articles/${imported.id}`}>Edit it</Link>
        </p>
      )}
      <InputField name="file" label="Plain-text file (.txt)" errors={errors} type="file" accept=".txt,text/plain" required />
      <Field name="access" label="Who may read it" errors={errors} hint="For a new article; importing a slug again keeps the article's access unless you replace everything.">
        {(control) => (
          <select {...control} defaultValue={values?.access ?? "metered"}>
            <option value="metered">Metered</option>
            <option value="free">Free to everyone</option>
            <option value="subscribers">Subscribers only</option>
          </select>
        )}
      </Field>
      <InputField name="slug" label="Slug (optional)" errors={errors} defaultValue={values?.slug ?? ""} placeholder="from the headline" />
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
