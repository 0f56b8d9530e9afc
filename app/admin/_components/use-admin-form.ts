"use client";

import { startTransition, useActionState, useEffect, useRef, type FormEvent } from "react";

/**
 * An admin form's action state, submitted so that every control keeps what the admin chose.
 *
 * React 19 resets a form after its `action` runs, and a reset puts selects, checkboxes and radios
 * back to the values they were first rendered with: after an error, a "Save" would then store
 * defaults the admin never picked. Submitting from onSubmit inside a transition skips that reset
 * (the `action` stays for a browser without JavaScript). After each answer, focus goes to the
 * first field marked invalid, or else to the form's message, instead of dropping to the page.
 * `resetOnSuccess` empties a form that creates something once it has been created. A refused
 * answer's field errors and the values sent back come as `errors` and `submitted`.
 */
/** A refused answer: a message per field, and what was typed, to show again. */
type Refusal = { ok: false; fieldErrors: Record<string, string>; values?: Record<string, string> };

export function useAdminForm<R extends { ok: boolean }>(action: (previous: unknown, formData: FormData) => Promise<R>, options: { resetOnSuccess?: boolean } = {}) {
  const [state, dispatch, pending] = useActionState<R | undefined, FormData>(action, undefined);
  const formRef = useRef<HTMLFormElement>(null);
  const answered = useRef(false);
  const { resetOnSuccess = false } = options;

  useEffect(() => {
    const form = formRef.current;
    if (!form || !answered.current || state === undefined) return;
    answered.current = false;
    if (state.ok && resetOnSuccess) form.reset();
    const target = form.querySelector<HTMLElement>("[aria-invalid='true']") ?? form.querySelector<HTMLElement>(".form-message");
    target?.focus();
  }, [state, resetOnSuccess]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formData = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    answered.current = true;
    startTransition(() => dispatch(formData));
  }

  const refusal = state?.ok === false ? (state as Extract<R, Refusal>) : undefined;
  return { state, pending, formProps: { ref: formRef, action: dispatch, onSubmit }, errors: refusal?.fieldErrors, submitted: refusal?.values };
}
