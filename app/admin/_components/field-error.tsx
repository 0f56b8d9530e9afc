/**
 * A field's error message, referenced by the field's aria-describedby as `${id}-error` (the id is the
 * name unless said otherwise). Not an alert of its own: the form's message announces the failure once
 * and focus moves to the first invalid field, which reads its message out.
 */
export function FieldError({ name, id = name, errors }: { name: string; id?: string; errors?: Record<string, string> }) {
  const message = errors?.[name];
  if (!message) return null;
  return (
    <p id={`${id}-error`} className="field-error">
      {message}
    </p>
  );
}

/** Props that tie an input to its error message, when there is one. */
export function errorProps(name: string, errors?: Record<string, string>) {
  return errors?.[name] ? { "aria-invalid": true as const, "aria-describedby": `${name}-error` } : {};
}
