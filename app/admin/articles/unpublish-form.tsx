"use client";

import { useActionState } from "react";
import { FormMessage } from "../_components/form-message";
import { unpublishArticleAction } from "./actions";

/** Takes a published or scheduled article off the site. */
export function UnpublishForm({ id }: { id: number }) {
  const [state, action, pending] = useActionState(unpublishArticleAction, undefined);
  return (
    <form action={action} className="admin-unpublish">
      <input type="hidden" name="id" value={id} />
      <FormMessage state={state} />
      <button className="button button--secondary" type="submit" disabled={pending}>
        {pending ? "Unpublishing…" : "Unpublish"}
      </button>
    </form>
  );
}
