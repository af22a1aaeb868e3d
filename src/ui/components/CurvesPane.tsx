// Curves per epoch (source/target/domain accuracy, losses, lr) as aligned sparklines, with the selected
// finding's epoch range marked under them; zoomed, the selected curve becomes a block chart.
import { Box, Text } from 'ink';
import type { RunReport } from '../../report/schema.js';
import { shownEpoch } from '../../model/epoch-numbering.js';
import { curvesOf, alignCurves, formatNumber, curveScale, curveStep } from '../state/report-view.js';
import { sparkline, markRow, blockChart, resample, pointSpan, type Sample } from '../draw/sparkline.js';
import { useTheme, accent } from '../theme.js';
import { Pane, innerSize } from './Pane.js';

export interface CurvesPaneProps {
  run: RunReport;
  cursor: number;
  /** epoch range of the selected finding (marked under the curves) */
  range: { from: number; to: number; series?: string } | null;
  focused: boolean;
  zoomed: boolean;
  width: number;
  height: number;
}

/** Label column: 'transfer loss' is the longest built-in label. */
const LABEL_WIDTH = 13;
/** At most this much room for "52 (50.22–59.56)" after the sparkline; narrower panes show the last value only. */
const VALUE_WIDTH = 22;

/** The samples to draw and the scale to draw them with (log10 for series spanning orders of magnitude). */
function drawable(unit: string, values: Sample[]): { values: Sample[]; min?: number; max?: number; log: boolean } {
  const sc = curveScale(unit, values);
  if (!sc.log) return { values, ...sc };
  return { values: values.map((v) => (v === null || !Number.isFinite(v) ? v : Math.log10(v))), log: true };
}

/** Columns [start, end) a point index occupies in a chart of `width` columns over `n` points. */
function columnsOf(index: number, n: number, width: number, fill = false): [number, number] {
  const { values, bucket } = resample(new Array<Sample>(n).fill(0), width);
  return pointSpan(Math.floor(index / bucket), values.length, width, fill);
}

export const STEP_GLYPH = '◆';

function finiteOf(values: Sample[]): number[] {
  return values.filter((v): v is number => v !== null && Number.isFinite(v));
}

function lastOf(values: Sample[]): Sample {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i];
  return null;
}

function valueText(values: Sample[], withRange = true): string {
  const f = finiteOf(values);
  const last = lastOf(values);
  const lastText = last === null ? '—' : formatNumber(last);
  if (f.length === 0 || !withRange) return lastText;
  return `${lastText} (${formatNumber(Math.min(...f))}–${formatNumber(Math.max(...f))})`;
}

export function CurvesPane({ run, cursor, range, focused, zoomed, width, height }: CurvesPaneProps) {
  const theme = useTheme();
  const inner = innerSize(width, height);
  const curves = curvesOf(run);
  const { epochs, values } = alignCurves(curves);
  // the sparkline gets a column per epoch before the value column gets its min–max range
  const fullW = Math.min(VALUE_WIDTH, Math.max(...values.map((v) => valueText(v).length), 0));
  const withRange = inner.width - LABEL_WIDTH - 3 - fullW >= epochs.length;
  const valueW = withRange ? fullW : Math.min(VALUE_WIDTH, Math.max(...values.map((v) => valueText(v, false).length), 0));
  const sparkW = Math.max(4, inner.width - LABEL_WIDTH - 3 - valueW);
  // epochs as the log numbers them (DeepDA/Keras count from 1); the curves themselves are indexed from 0
  const ep = (e: number) => shownEpoch(e, run.epochBase);
  const title = `Curves per epoch${epochs.length ? ` (${ep(epochs[0])}..${ep(epochs.at(-1)!)})` : ''}`;
  if (curves.length === 0) {
    return (
      <Pane title={title} focused={focused} width={width} height={height}>
        <Text dimColor wrap="wrap">no per-epoch series in this run</Text>
      </Pane>
    );
  }
  const fromIdx = range ? epochs.findIndex((e) => e >= range.from) : -1;
  const toIdx = range ? epochs.length - 1 - [...epochs].reverse().findIndex((e) => e <= range.to) : -1;
  const hasMark = range !== null && fromIdx >= 0 && toIdx >= fromIdx && toIdx < epochs.length;
  const mark = hasMark ? markRow(epochs.length, sparkW, fromIdx, toIdx) : '';
  const markLabel = hasMark ? `finding: ep ${range!.from === range!.to ? ep(range!.from) : `${ep(range!.from)}..${ep(range!.to)}`}` : '';

  if (zoomed) {
    const sel = Math.min(cursor, curves.length - 1);
    const c = curves[sel];
    const chartH = Math.max(3, inner.height - 5);
    const chartW = Math.max(4, inner.width - 10);
    const d = drawable(c.series.unit, values[sel]);
    const step = curveStep(values[sel]);
    const rows = blockChart(d.values, chartW, chartH, { min: d.min, max: d.max });
    const f = finiteOf(values[sel]);
    const hi = d.max ?? (f.length ? Math.max(...f) : 0);
    const lo = d.min ?? (f.length ? Math.min(...f) : 0);
    return (
      <Pane title={`${c.label} — ${c.series.key} (${c.series.rawName})${d.log ? ' · log scale' : ''}`} hint="↑↓ curve · Enter back" focused={focused} width={width} height={height}>
        {rows.map((r, i) => (
          <Text key={i} wrap="truncate-end">
            <Text dimColor>{(i === 0 ? formatNumber(hi) : i === rows.length - 1 ? formatNumber(lo) : '').padStart(8)} </Text>
            <Text color={accent(theme, 'cyan')}>{r}</Text>
          </Text>
        ))}
        {hasMark ? <Text wrap="truncate-end" color={accent(theme, 'yellow')}>{' '.repeat(9)}{markRow(epochs.length, chartW, fromIdx, toIdx, '▔', true)}</Text> : null}
        {step ? (
          <Text wrap="truncate-end" color={accent(theme, 'magenta')}>
            {' '.repeat(9 + columnsOf(step.index, epochs.length, chartW, true)[0])}{STEP_GLYPH} step at epoch {ep(epochs[step.index])}: {formatNumber(step.before)} → {formatNumber(step.after)}
          </Text>
        ) : null}
        <Text wrap="truncate-end" dimColor>{' '.repeat(9)}epochs {ep(epochs[0])}..{ep(epochs.at(-1)!)} · last {valueText(values[sel])}{hasMark ? ` · ▔ ${markLabel}${range!.series ? ` (${range!.series})` : ''}` : ''}</Text>
      </Pane>
    );
  }

  return (
    <Pane title={title} hint={hasMark ? `▔ ${markLabel}` : focused ? '↑↓ select · Enter zoom' : undefined} focused={focused} width={width} height={height}>
      {curves.slice(0, Math.max(0, inner.height - (hasMark ? 1 : 0))).map((c, i) => {
        const d = drawable(c.series.unit, values[i]);
        return (
        <Box key={c.key}>
          <Text wrap="truncate-end" inverse={focused && i === cursor}>
            <Text>{focused && i === cursor ? '▸' : ' '}</Text>
            <Text>{(d.log ? `${c.label.slice(0, LABEL_WIDTH - 4)} log` : c.label.slice(0, LABEL_WIDTH)).padEnd(LABEL_WIDTH)} </Text>
            <StepSpark line={sparkline(d.values, sparkW, { min: d.min, max: d.max }).padEnd(sparkW)} step={curveStep(values[i])} n={epochs.length} width={sparkW} colour={accent(theme, 'cyan')} />
            <Text> {valueText(values[i], withRange)}</Text>
          </Text>
        </Box>
        );
      })}
      {hasMark ? (
        <Text wrap="truncate-end" color={accent(theme, 'yellow')}>
          {' '.repeat(LABEL_WIDTH + 2)}{mark}
        </Text>
      ) : null}
    </Pane>
  );
}

/** A sparkline with its step (if any) drawn inverse, so it stands out with or without colour. */
function StepSpark({ line, step, n, width, colour }: { line: string; step: { index: number } | null; n: number; width: number; colour?: string }) {
  if (!step) return <Text color={colour}>{line}</Text>;
  const [a, b] = columnsOf(step.index, n, width);
  return (
    <Text color={colour}>
      {line.slice(0, a)}
      <Text inverse>{line.slice(a, b)}</Text>
      {line.slice(b)}
    </Text>
  );
}
