// t-SNE of the run's features as a terminal scatter by class or by domain: braille dots coloured per cell
// (src/plot/terminal-scatter) when colour is on; a glyph per cell (class index, or source/target/both) under
// NO_COLOR, where uncoloured braille would not tell classes or domains apart. Shows progress meanwhile.
import { Box, Text } from 'ink';
import type { Load } from '../state/ui-state.js';
import type { DrawnEmbedding } from '../../tsne/embed-features.js';
import { terminalScatter } from '../../plot/terminal-scatter.js';
import { scatterGrid, EMPTY, MIXED } from '../draw/scatter-grid.js';
import { bar } from '../draw/bar.js';
import { useTheme, accent } from '../theme.js';
import { Pane, innerSize } from './Pane.js';

export interface TsnePaneProps {
  tsne?: Load<DrawnEmbedding>;
  /** false when the CLI gave no t-SNE callback */
  available: boolean;
  colour: 'class' | 'domain';
  focused: boolean;
  width: number;
  height: number;
}

export const SOURCE_GLYPH = '◦';
export const TARGET_GLYPH = '•';
export const BOTH_GLYPH = '◉';
/** Class glyphs: digits first (most DA benchmarks number their classes), then letters. */
const CLASS_GLYPHS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
export function classGlyph(k: number): string {
  return k >= 0 && k < CLASS_GLYPHS.length ? CLASS_GLYPHS[k] : '*';
}

function glyphOf(k: number, colour: 'class' | 'domain'): string {
  if (k === EMPTY) return ' ';
  if (colour === 'domain') return k === MIXED ? BOTH_GLYPH : k === 0 ? SOURCE_GLYPH : TARGET_GLYPH;
  return classGlyph(k);
}

/** Runs of equal cells in one grid row, so a row is a handful of <Text> spans, not one per cell. */
function segments(cells: Int32Array, row: number, width: number): { k: number; n: number }[] {
  const out: { k: number; n: number }[] = [];
  for (let x = 0; x < width; x++) {
    const k = cells[row * width + x];
    const last = out.at(-1);
    if (last && last.k === k) last.n++;
    else out.push({ k, n: 1 });
  }
  return out;
}

export function TsnePane({ tsne, available, colour, focused, width, height }: TsnePaneProps) {
  const theme = useTheme();
  const inner = innerSize(width, height);
  const title = `t-SNE (by ${colour})`;
  const hint = 'd domain · c class';
  const message = (text: string) => (
    <Pane title={title} hint={hint} focused={focused} width={width} height={height}>
      <Text dimColor wrap="wrap">{text}</Text>
    </Pane>
  );
  if (!available) return message('t-SNE not requested (features are embedded only when the CLI offers it)');
  if (!tsne) return message('t-SNE pending…');
  if (tsne.status === 'error') return message(`t-SNE failed: ${tsne.message}`);
  if (tsne.status === 'loading') {
    const p = tsne.progress ?? 0;
    const w = Math.max(5, Math.min(30, inner.width - 24));
    return (
      <Pane title={title} hint={hint} focused={focused} width={width} height={height}>
        <Text wrap="truncate-end">computing t-SNE <Text color={accent(theme, 'cyan')}>{bar(p, w, '░')}</Text> {Math.round(p * 100)}%</Text>
        <Text dimColor wrap="wrap">the rest of the UI stays usable meanwhile</Text>
      </Pane>
    );
  }
  const r = tsne.value;
  if (!r || r.n === 0) return message('no feature dump to embed (features.npz / *.npy beside the run)');
  const n = r.n;
  // the point count sits in the title, where a long class legend cannot push it out of view
  const count = r.subsampled && r.totalPoints > n ? `${n} of ${r.totalPoints} pts` : `${n} pts`;
  const doneTitle = `${title} ${count}`;
  const gridH = Math.max(1, inner.height - 1);
  const keys = colour === 'domain' ? r.domain : r.label;
  // the glyph grid also measures how mixed the domains are (cells holding both), shown in either mode
  const grid = scatterGrid(r.xy, keys, inner.width, gridH, colour === 'domain' ? 'mixed' : 'majority');
  let src = 0;
  for (let i = 0; i < n; i++) if (r.domain[i] === 0) src++;
  let mixedPct = 0;
  if (colour === 'domain') {
    let occupied = 0, mixed = 0;
    for (let i = 0; i < grid.cells.length; i++) {
      if (grid.cells[i] !== EMPTY) occupied++;
      if (grid.cells[i] === MIXED) mixed++;
    }
    mixedPct = occupied ? Math.round((100 * mixed) / occupied) : 0;
  }

  if (theme.color) {
    const plot = terminalScatter(r, { width: inner.width, height: gridH, colorBy: colour });
    return (
      <Pane title={doneTitle} hint={hint} focused={focused} width={width} height={height}>
        {plot.rows.map((segs, y) => (
          <Box key={y}>
            <Text wrap="truncate-end">
              {segs.map((g, j) => <Text key={j} color={g.color}>{g.text}</Text>)}
            </Text>
          </Box>
        ))}
        <Text wrap="truncate-end">
          {plot.legend.map((l, i) => (
            <Text key={i}><Text color={l.color}>●</Text>{colour === 'domain' ? ` ${l.label} ${i === 0 ? src : n - src}` : ` ${l.label}`}  </Text>
          ))}
          <Text dimColor>{colour === 'domain' ? `mixed ${mixedPct}%` : ''}</Text>
        </Text>
      </Pane>
    );
  }

  let legend: string;
  if (colour === 'domain') {
    legend = `${SOURCE_GLYPH} source ${src}  ${TARGET_GLYPH} target ${n - src}  ${BOTH_GLYPH} both ${mixedPct}%`;
  } else {
    const classes = new Set<number>();
    for (let i = 0; i < n; i++) classes.add(r.label[i]);
    const sorted = [...classes].sort((a, b) => a - b);
    // without class names the glyph is the class index already: say so once instead of "0=0 1=1 ..."
    legend = r.classNames
      ? sorted.map((k) => `${classGlyph(k)}=${r.classNames?.[k] ?? k}`).join(' ')
      : `glyph = class index (${sorted.map(classGlyph).join('')})`;
  }
  return (
    <Pane title={doneTitle} hint={hint} focused={focused} width={width} height={height}>
      {Array.from({ length: gridH }, (_, y) => (
        <Box key={y}>
          <Text wrap="truncate-end">
            {segments(grid.cells, y, grid.width).map((s, j) => (
              <Text key={j}>{glyphOf(s.k, colour).repeat(s.n)}</Text>
            ))}
          </Text>
        </Box>
      ))}
      <Text dimColor wrap="truncate-end">{legend}</Text>
    </Pane>
  );
}
