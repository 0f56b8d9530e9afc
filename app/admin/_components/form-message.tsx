/** The result of a form as a whole: an error (nothing saved) or a confirmation. */
export function FormMessage({ state }: { state: { ok: boolean; message?: string } | undefined }) {
  if (!state?.message) return null;
  return (
    <p className={state.ok ? "form-message" : "form-message form-message--error"} role={state.ok ? "status" : "alert"} tabIndex={-1}>
      {state.message}
    </p>
  );
}
