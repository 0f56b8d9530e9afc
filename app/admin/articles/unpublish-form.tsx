"use client";

import { useAdminForm } from "../_components/use-admin-form";
import { FormMessage } from "../_components/form-message";
import { unpublishArticleAction } from "./actions";

/** Takes a published or scheduled article off the site. */
export function UnpublishForm({ id }: { id: number }) {
  const { state, pending, formProps } = useAdminForm(unpublishArticleAction);
  return (
    <form {...formProps} className="admin-unpublish">
      <input type="hidden" name="id" value={id} />
      <FormMessage state={state} />
      <button className="button button--secondary" type="submit" disabled={pending}>
        {pending ? "Unpublishing…" : "Unpublish"}
      </button>
    </form>
  );
}
