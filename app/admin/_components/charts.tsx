import type { ReactNode } from "react";
import type { DayPoint, FunnelStep } from "@/lib/admin/dashboard/queries";
import { DataTable, type DataTableProps } from "./data-table";

const dayLabel = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const label = (day: string) => dayLabel.format(new Date(`${day}T00:00:00Z`));

/** New subscribers above the line, churned below, one pair of bars per day (server-rendered SVG). */
export function NewAndChurnedChart({ series, days }: { series: DayPoint[]; days: number }) {
  const width = 720;
  const height = 220;
  const pad = { left: 36, right: 8, top: 14, bottom: 28 };
  const mid = pad.top + (height - pad.top - pad.bottom) / 2;
  const half = (height - pad.top - pad.bottom) / 2;
  const max = Math.max(1, ...series.map((p) => Math.max(p.new, p.churned)));
  const slot = (width - pad.left - pad.right) / Math.max(1, series.length);
  const bar = Math.max(1, slot * 0.7);
  const totalNew = series.reduce((s, p) => s + p.new, 0);
  const totalChurned = series.reduce((s, p) => s + p.churned, 0);
  const ticks = [0, Math.floor((series.length - 1) / 2), series.length - 1].filter((v, i, a) => a.indexOf(v) === i && v >= 0);
  const summary = `New and churned subscribers per day over the last ${days} days: ${totalNew} new, ${totalChurned} churned.`;
  return (
    <figure className="admin-chart">
      <figcaption>
        New <span className="admin-chart__key admin-chart__key--new" aria-hidden="true" /> and churned{" "}
        <span className="admin-chart__key admin-chart__key--churned" aria-hidden="true" /> subscribers per day
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} className="admin-chart__svg" preserveAspectRatio="xMidYMid meet">
        <text x={pad.left - 6} y={pad.top + 4} textAnchor="end" className="admin-chart__axis">
          {max}
        </text>
        <text x={pad.left - 6} y={mid + 4} textAnchor="end" className="admin-chart__axis">
          0
        </text>
        <text x={pad.left - 6} y={height - pad.bottom + 4} textAnchor="end" className="admin-chart__axis">
          {max}
        </text>
        {series.map((p, i) => {
          const x = pad.left + i * slot + (slot - bar) / 2;
          const up = (p.new / max) * half;
          const down = (p.churned / max) * half;
          return (
            <g key={p.day}>
              {p.new > 0 && <rect x={x} y={mid - up} width={bar} height={up} className="admin-chart__new" />}
              {p.churned > 0 && <rect x={x} y={mid} width={bar} height={down} className="admin-chart__churned" />}
            </g>
          );
        })}
        <line x1={pad.left} x2={width - pad.right} y1={mid} y2={mid} className="admin-chart__baseline" />
        {ticks.map((i) => (
          <text key={i} x={pad.left + i * slot + slot / 2} y={height - 8} textAnchor="middle" className="admin-chart__axis">
            {label(series[i]!.day)}
          </text>
        ))}
      </svg>
      <ChartTable columns={["Day", "New", "Churned"]} rows={series} caption={summary}>
        {(p) => (
          <tr key={p.day}>
            <th scope="row">{p.day}</th>
            <td>{p.new}</td>
            <td>{p.churned}</td>
          </tr>
        )}
      </ChartTable>
    </figure>
  );
}

/** The conversion funnel as horizontal bars: each step's count and its share of the step before. */
export function FunnelChart({ steps, days }: { steps: FunnelStep[]; days: number }) {
  const width = 720;
  const rowHeight = 44;
  const labelWidth = 150;
  const valueWidth = 170;
  const height = steps.length * rowHeight + 8;
  const max = Math.max(1, ...steps.map((s) => s.count));
  const barSpace = width - labelWidth - valueWidth;
  const describe = (s: FunnelStep) => `${s.count.toLocaleString("en-US")}${s.conversion === null ? "" : ` (${s.conversion}% of the step before)`}`;
  const summary = `Conversion funnel over the last ${days} days: ${steps.map((s) => `${s.label} ${describe(s)}`).join(", ")}.`;
  return (
    <figure className="admin-chart" data-testid="funnel-chart">
      <figcaption>Conversion funnel</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} className="admin-chart__svg" preserveAspectRatio="xMidYMid meet">
        {steps.map((s, i) => (
          <g key={s.type} data-step={s.type}>
            <BarRow y={4 + i * rowHeight} height={rowHeight} inset={6} labelWidth={labelWidth} barSpace={barSpace} label={s.label} count={s.count} max={max} tone={i}>
              {s.conversion !== null && <tspan className="admin-chart__pct">{`  ${s.conversion}%`}</tspan>}
            </BarRow>
          </g>
        ))}
      </svg>
      <ChartTable columns={["Step", "Count", "Conversion from the step before"]} rows={steps} caption={summary}>
        {(s) => (
          <tr key={s.type} data-funnel-step={s.type}>
            <th scope="row">{s.label}</th>
            <td data-count>{s.count}</td>
            <td>{s.conversion === null ? "—" : `${s.conversion}%`}</td>
          </tr>
        )}
      </ChartTable>
    </figure>
  );
}

/** One count per labelled row as horizontal bars (the attribution report's subscriptions by source). */
export function BarsChart({ title, rowHeading, rows, testId }: { title: string; rowHeading: string; rows: Array<{ key: string; label: string; count: number }>; testId?: string }) {
  const width = 720;
  const rowHeight = 36;
  const labelWidth = 170;
  const valueWidth = 80;
  const height = Math.max(1, rows.length) * rowHeight + 8;
  const max = Math.max(1, ...rows.map((r) => r.count));
  const barSpace = width - labelWidth - valueWidth;
  const summary = rows.length === 0 ? `${title}: none yet.` : `${title}: ${rows.map((r) => `${r.label} ${r.count.toLocaleString("en-US")}`).join(", ")}.`;
  return (
    <figure className="admin-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} className="admin-chart__svg" preserveAspectRatio="xMidYMid meet">
        {rows.length === 0 && (
          <text x={0} y={rowHeight / 2 + 4} className="admin-chart__label">
            None yet
          </text>
        )}
        {rows.map((r, i) => (
          <g key={r.key} data-bar={r.key}>
            <BarRow y={4 + i * rowHeight} height={rowHeight} inset={5} labelWidth={labelWidth} barSpace={barSpace} label={r.label} count={r.count} max={max} tone={3} />
          </g>
        ))}
      </svg>
      <ChartTable columns={[rowHeading, "Count"]} rows={rows} caption={summary}>
        {(r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td>{r.count}</td>
          </tr>
        )}
      </ChartTable>
    </figure>
  );
}

/** One labelled horizontal bar on its track, its count (and `children`, e.g. a percentage) after it. */
function BarRow(props: { y: number; height: number; inset: number; labelWidth: number; barSpace: number; label: string; count: number; max: number; tone: number; children?: ReactNode }) {
  const { y, height, inset, labelWidth, barSpace, label, count, max, tone } = props;
  const w = count === 0 ? 0 : Math.max(2, (count / max) * barSpace);
  const barHeight = height - 2 * inset - 2;
  return (
    <>
      <text x={0} y={y + height / 2 + 1} className="admin-chart__label">
        {label}
      </text>
      <rect x={labelWidth} y={y + inset} width={barSpace} height={barHeight} className="admin-chart__track" />
      {w > 0 && <rect x={labelWidth} y={y + inset} width={w} height={barHeight} className={`admin-chart__funnel admin-chart__funnel--${tone}`} />}
      <text x={labelWidth + barSpace + 10} y={y + height / 2 + 1} className="admin-chart__value">
        {count.toLocaleString("en-US")}
        {props.children}
      </text>
    </>
  );
}

/**
 * A chart's numbers as a table, for screen readers. Hidden by its wrapper: a table is never
 * narrower than its text, so it cannot hide itself without widening the page.
 */
function ChartTable<T>(props: DataTableProps<T>) {
  return (
    <div className="visually-hidden">
      <DataTable {...props} />
    </div>
  );
}
