// Per-class accuracy, target against source, as bars (from evaluation when it ran, else the log's tables).
import { Box, Text } from 'ink';
import type { RunReport } from '../../report/schema.js';
import type { EvalResults } from '../../model/types.js';
import type { Load } from '../state/ui-state.js';
import { perClassView, pct } from '../state/report-view.js';
import { bar } from '../draw/bar.js';
import { scrollStart } from './FindingsList.js';
import { useTheme, accent } from '../theme.js';
import { Pane, innerSize } from './Pane.js';

export interface PerClassPaneProps {
  run: RunReport;
  evaluation?: Load<EvalResults>;
  cursor: number;
  focused: boolean;
  width: number;
  height: number;
}

/** Target classes below this accuracy get a "!" (the cut ux.md uses to name weak classes: label_shift 7, 8, 1, 4). */
export const LOW_CLASS_ACC = 35;

export function PerClassPane({ run, evaluation, cursor, focused, width, height }: PerClassPaneProps) {
  const theme = useTheme();
  const inner = innerSize(width, height);
  const ev = evaluation?.status === 'done' ? evaluation.value ?? undefined : undefined;
  const view = perClassView(run, ev);
  const title = 'Per-class accuracy (target vs source)';
  if (!view) {
    const why = evaluation?.status === 'loading'
      ? 'evaluating… per-class accuracy appears here when it finishes'
      : 'unknown: no per-class table in the log (tllib --per-class-eval) and no evaluation of checkpoints/features';
    return (
      <Pane title={title} focused={focused} width={width} height={height}>
        <Text dimColor wrap="wrap">{why}</Text>
      </Pane>
    );
  }
  const both = view.target !== undefined && view.source !== undefined;
  const nameW = Math.min(12, Math.max(...view.names.map((n) => n.length)));
  // name, then per side: bar + " 100.0"
  const barW = Math.max(3, Math.floor((inner.width - nameW - 2 - (both ? 14 : 7)) / (both ? 2 : 1)));
  const footer = [view.targetFrom ? `target: ${view.targetFrom}` : '', view.sourceFrom ? `source: ${view.sourceFrom}` : ''].filter(Boolean);
  const rowsAvail = Math.max(1, inner.height - 1 - footer.length);
  const start = scrollStart(cursor, view.names.length, rowsAvail);
  return (
    <Pane title={title} hint={view.names.length > rowsAvail ? `${cursor + 1}/${view.names.length}` : undefined} focused={focused} width={width} height={height}>
      <Text dimColor wrap="truncate-end">
        {''.padEnd(nameW + 2)}
        {view.target ? `target${''.padEnd(barW + 1)}` : ''}
        {view.source ? 'source' : ''}
      </Text>
      {view.names.slice(start, start + rowsAvail).map((name, i) => {
        const idx = start + i;
        const t = view.target?.[idx];
        const s = view.source?.[idx];
        const low = t !== undefined && Number.isFinite(t) && t < LOW_CLASS_ACC;
        return (
          <Box key={idx}>
            <Text wrap="truncate-end" inverse={focused && idx === cursor}>
              <Text>{low ? '!' : ' '}{name.slice(0, nameW).padEnd(nameW)} </Text>
              {view.target ? (
                <>
                  <Text color={low ? accent(theme, 'red') : accent(theme, 'cyan')}>{bar((t ?? NaN) / 100, barW, '·')}</Text>
                  <Text> {pct(t).padStart(5)} </Text>
                </>
              ) : null}
              {view.source ? (
                <>
                  <Text color={accent(theme, 'gray')}>{bar((s ?? NaN) / 100, barW, '·')}</Text>
                  <Text> {pct(s).padStart(5)}</Text>
                </>
              ) : null}
            </Text>
          </Box>
        );
      })}
      {footer.map((f, i) => <Text key={i} dimColor wrap="truncate-end">{f}</Text>)}
    </Pane>
  );
}
