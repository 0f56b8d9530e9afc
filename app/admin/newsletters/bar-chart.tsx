const dayLabel = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const label = (day: string) => dayLabel.format(new Date(`${day}T00:00:00Z`));

/** One bar per day (server-rendered SVG), with the numbers as a hidden table for screen readers. */
export function DayBarChart({ title, points }: { title: string; points: Array<{ day: string; value: number }> }) {
  const width = 720;
  const height = 180;
  const pad = { left: 36, right: 8, top: 12, bottom: 26 };
  const max = Math.max(1, ...points.map((p) => p.value));
  const slot = (width - pad.left - pad.right) / Math.max(1, points.length);
  const bar = Math.max(1, slot * 0.7);
  const plot = height - pad.top - pad.bottom;
  const ticks = [0, Math.floor((points.length - 1) / 2), points.length - 1].filter((v, i, a) => a.indexOf(v) === i && v >= 0);
  const summary = `${title}: ${points.at(-1)?.value ?? 0} on the last day, at most ${max}.`;
  return (
    <figure className="admin-chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} className="admin-chart__svg" preserveAspectRatio="xMidYMid meet">
        <text x={pad.left - 6} y={pad.top + 4} textAnchor="end" className="admin-chart__axis">
          {max}
        </text>
        <text x={pad.left - 6} y={pad.top + plot + 4} textAnchor="end" className="admin-chart__axis">
          0
        </text>
        {points.map((p, i) => {
          const h = (p.value / max) * plot;
          return p.value > 0 ? <rect key={p.day} x={pad.left + i * slot + (slot - bar) / 2} y={pad.top + plot - h} width={bar} height={h} className="admin-chart__new" /> : null;
        })}
        <line x1={pad.left} x2={width - pad.right} y1={pad.top + plot} y2={pad.top + plot} className="admin-chart__baseline" />
        {ticks.map((i) => (
          <text key={i} x={pad.left + i * slot + slot / 2} y={height - 6} textAnchor="middle" className="admin-chart__axis">
            {label(points[i]!.day)}
          </text>
        ))}
      </svg>
      <div className="visually-hidden">
        <table>
          <caption>{summary}</caption>
          <tbody>
            {points.map((p) => (
              <tr key={p.day}>
                <th scope="row">{p.day}</th>
                <td>{p.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
