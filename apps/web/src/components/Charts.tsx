import type { ReactNode } from 'react';

// Small charts drawn as inline SVG: no library, nothing from another origin, and each carries its
// numbers in words for screen readers (role="img" with a label listing every value).

export interface Bar {
  label: string;
  value: number;
}

/** Horizontal bars, one per category. */
export function BarChart({ title, bars }: { title: string; bars: Bar[] }) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const rowHeight = 26;
  const labelWidth = 130;
  const width = 420;
  const height = bars.length * rowHeight + 8;
  const summary = `${title}: ${bars.map((bar) => `${bar.label} ${bar.value}`).join(', ')}`;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} data-chart={title}>
        {bars.map((bar, index) => {
          const y = index * rowHeight + 4;
          const barWidth = ((width - labelWidth - 50) * bar.value) / max;
          return (
            <g key={bar.label}>
              <text x={labelWidth - 8} y={y + 16} textAnchor="end" className="chart-label">
                {bar.label}
              </text>
              <rect
                x={labelWidth}
                y={y + 3}
                width={Math.max(barWidth, 1)}
                height={rowHeight - 8}
                className="chart-bar"
                rx={3}
              />
              <text x={labelWidth + barWidth + 6} y={y + 16} className="chart-value">
                {bar.value}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

export interface DailyPoint {
  date: string;
  created: number;
  closed: number;
}

/** Created and closed tickets per day, as paired columns. */
export function DailyChart({ title, days }: { title: string; days: DailyPoint[] }) {
  const total = (key: 'created' | 'closed') => days.reduce((sum, day) => sum + day[key], 0);
  const busiest = days.reduce<DailyPoint | null>(
    (best, day) => (!best || day.created > best.created ? day : best),
    null,
  );
  return (
    <DailyColumns
      title={title}
      caption={
        <>
          {title} <span className="legend created">■ created</span>{' '}
          <span className="legend closed">■ closed</span>
        </>
      }
      summary={`${title}: ${days.length} days, ${total('created')} created and ${total('closed')} closed; busiest day ${busiest?.date ?? 'none'}`}
      days={days}
      series={[
        { className: 'created', valueOf: (day) => day.created },
        { className: 'closed', valueOf: (day) => day.closed },
      ]}
      height={220}
    />
  );
}

/** One count per day as columns (e.g. service-level breaches). */
export function DailyCountChart({
  title,
  days,
  noun,
}: {
  title: string;
  days: Array<{ date: string; value: number }>;
  noun: string;
}) {
  const total = days.reduce((sum, day) => sum + day.value, 0);
  const worst = days.reduce<{ date: string; value: number } | null>(
    (best, day) => (day.value > 0 && (!best || day.value > best.value) ? day : best),
    null,
  );
  return (
    <DailyColumns
      title={title}
      caption={title}
      summary={`${title}: ${total} ${noun} over ${days.length} days${worst ? `; most on ${worst.date} (${worst.value})` : ''}`}
      days={days}
      // A day without any still shows a hairline, so the row of days reads as a series.
      series={[{ className: 'breaches', valueOf: (day) => day.value, minHeight: 0.5 }]}
      height={160}
    />
  );
}

interface ColumnSeries<Day> {
  className: string;
  valueOf: (day: Day) => number;
  minHeight?: number;
}

/** Columns per day, one per series side by side, with the scale's top and zero and every nth date. */
function DailyColumns<Day extends { date: string }>({
  title,
  caption,
  summary,
  days,
  series,
  height,
}: {
  title: string;
  caption: ReactNode;
  summary: string;
  days: Day[];
  series: Array<ColumnSeries<Day>>;
  height: number;
}) {
  const width = 720;
  const padding = { top: 10, right: 10, bottom: 30, left: 36 };
  const max = Math.max(1, ...days.flatMap((day) => series.map((one) => one.valueOf(day))));
  const plotWidth = width - padding.left - padding.right;
  const plotHeight = height - padding.top - padding.bottom;
  const slot = plotWidth / Math.max(days.length, 1);
  const barWidth = series.length === 1 ? Math.max(1, slot - 2) : Math.max(1, slot / series.length - 1);
  const y = (value: number) => padding.top + plotHeight - (plotHeight * value) / max;
  const labelEvery = Math.ceil(days.length / 10);
  return (
    <figure className="chart wide">
      <figcaption>{caption}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} data-chart={title}>
        <line x1={padding.left} x2={width - padding.right} y1={y(0)} y2={y(0)} className="chart-axis" />
        <text x={padding.left - 6} y={y(max) + 4} textAnchor="end" className="chart-label">
          {max}
        </text>
        <text x={padding.left - 6} y={y(0)} textAnchor="end" className="chart-label">
          0
        </text>
        {days.map((day, index) => {
          const x = padding.left + index * slot;
          return (
            <g key={day.date}>
              {series.map((one, position) => (
                <rect
                  key={one.className}
                  x={x + position * (barWidth + 1)}
                  y={y(one.valueOf(day))}
                  width={barWidth}
                  height={Math.max(y(0) - y(one.valueOf(day)), one.minHeight ?? 0)}
                  className={`chart-bar ${one.className}`}
                />
              ))}
              {index % labelEvery === 0 ? (
                <text x={x + slot / 2} y={height - 10} textAnchor="middle" className="chart-label">
                  {day.date.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
