import type { InputHTMLAttributes, ReactNode } from "react";
import { FieldError } from "./field-error";
import { PLAN_CURRENCIES } from "@/lib/billing/money";

/** What a field's control carries: the id its label points at, and what describes it. */
export interface ControlProps {
  id: string;
  name: string;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
}

interface FieldProps {
  /** The form field's name; its error is keyed by it. */
  name: string;
  /** The control's id, and the prefix of its hint's and error's; the name unless said otherwise. */
  id?: string;
  label: ReactNode;
  errors?: Record<string, string>;
  /** A line under the control, read out with it. */
  hint?: ReactNode;
  /** The control, given the props that tie it to its label, hint and error. */
  children: (control: ControlProps) => ReactNode;
}

/** An admin form's field: the label, the control, its hint and its error. */
export function Field({ name, id = name, label, errors, hint, children }: FieldProps) {
  const invalid = Boolean(errors?.[name]);
  const describedBy = [hint ? `${id}-hint` : null, invalid ? `${id}-error` : null].filter(Boolean).join(" ");
  const control: ControlProps = { id, name, ...(invalid && { "aria-invalid": true as const }), ...(describedBy && { "aria-describedby": describedBy }) };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(control)}
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      <FieldError name={name} id={id} errors={errors} />
    </div>
  );
}

type InputFieldProps = Omit<FieldProps, "children"> & Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name">;

/** A field whose control is an <input>; the other props are the input's. */
export function InputField({ name, id, label, errors, hint, ...input }: InputFieldProps) {
  return (
    <Field name={name} id={id} label={label} errors={errors} hint={hint}>
      {(control) => <input {...input} {...control} />}
    </Field>
  );
}

/** A field choosing one of the currencies a price may be in. */
export function CurrencyField({ id, errors, defaultValue }: { id: string; errors?: Record<string, string>; defaultValue: string }) {
  return (
    <Field name="currency" id={id} label="Currency" errors={errors}>
      {(control) => (
        <select {...control} defaultValue={defaultValue}>
          {PLAN_CURRENCIES.map((c) => (
            <option key={c} value={c}>
              {c.toUpperCase()}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
