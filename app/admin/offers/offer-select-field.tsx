import type { ComponentProps } from "react";
import { Field } from "../_components/field";

type OfferSelectFieldProps = Omit<ComponentProps<typeof Field>, "children"> & {
  offers: Array<{ id: number; label: string }>;
  defaultValue: string;
  /** The empty first choice: what choosing no offer means here. */
  none: string;
};

/** A field that picks one offer by its label, or none. */
export function OfferSelectField({ offers, defaultValue, none, ...field }: OfferSelectFieldProps) {
  return (
    <Field {...field}>
      {(control) => (
        <select {...control} defaultValue={defaultValue}>
          <option value="">{none}</option>
          {offers.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
