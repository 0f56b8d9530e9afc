import { formatUtc } from "./format";

/** A table cell's time, with a second one beneath it, small ("shown …", "received …"). */
export function TimesCell({ at, note, noteAt }: { at: Date; note: string; noteAt: Date }) {
  return (
    <td>
      {formatUtc(at)}
      <br />
      <small className="admin-muted">
        {note} {formatUtc(noteAt)}
      </small>
    </td>
  );
}
