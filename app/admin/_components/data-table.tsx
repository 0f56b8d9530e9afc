import type { ReactNode } from "react";

export interface DataTableProps<T> {
  /** The column headings, in order. */
  columns: readonly ReactNode[];
  rows: readonly T[];
  /** Shown instead of the table when there is no row: a sentence, or an element of its own; without it, the table stays (empty). */
  empty?: ReactNode;
  /** Or the table stays, with this sentence as its one row. */
  emptyRow?: string;
  /** The table's classes; admin-table unless said otherwise (the account pages and the dev mailbox have their own). */
  className?: string;
  caption?: string;
  testId?: string;
  /** One row's <tr>, with its key. */
  children: (row: T) => ReactNode;
}

/** The admin console's table (and the account pages'): headings, one line per row, or a sentence when there is none. */
export function DataTable<T>({ columns, rows, empty, emptyRow, className = "admin-table", caption, testId, children }: DataTableProps<T>) {
  if (rows.length === 0 && empty !== undefined) return typeof empty === "string" ? <p>{empty}</p> : empty;
  // On a narrow screen the table scrolls inside its own box, not the page; the box takes focus so a keyboard can scroll it.
  return (
    <div className="table-scroll" tabIndex={0}>
    <table className={className} data-testid={testId}>
      {caption !== undefined && <caption>{caption}</caption>}
      <thead>
        <tr>
          {columns.map((column, i) => (
            <th key={i} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && emptyRow !== undefined && (
          <tr>
            <td colSpan={columns.length}>{emptyRow}</td>
          </tr>
        )}
        {rows.map((row) => children(row))}
      </tbody>
    </table>
    </div>
  );
}

/** "1 article", "12 articles": how many rows the filters match. */
export function RowCount({ total, one, many }: { total: number; one: string; many: string }) {
  return (
    <p className="admin-count">
      {total} {total === 1 ? one : many}
    </p>
  );
}
