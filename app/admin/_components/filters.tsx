import type { ReactNode } from "react";

/** A list's filters: a GET form to the list itself, so a filtered list is a link like any other. */
export function Filters({ action, submit, children }: { action: string; submit: string; children: ReactNode }) {
  return (
    <form className="admin-filters" method="get" action={action} role="search">
      {children}
      <button className="button button--secondary" type="submit">
        {submit}
      </button>
    </form>
  );
}

export function SearchFilter({ name, label, value }: { name: string; label: string; value: string | undefined }) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input id={name} name={name} type="search" defaultValue={value ?? ""} maxLength={200} />
    </div>
  );
}

/** A choice among `options` (value → label), with "Any" first for no filter. */
export function SelectFilter({ name, label, value, options }: { name: string; label: string; value: string | undefined; options: Readonly<Record<string, string>> }) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <select id={name} name={name} defaultValue={value ?? ""}>
        <option value="">Any</option>
        {Object.entries(options).map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
