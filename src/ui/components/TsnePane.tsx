// t-SNE of the run's features as a character scatter, coloured (and glyphed) by class or by domain; shows
// progress while the embedding is computed in the background.
import { Box, Text } from 'ink';
import type { Load, TsneResult } from '../state/ui-state.js';
import { scatterGrid, EMPTY, MIXED } from '../draw/scatter-grid.js';
import { bar } from '../draw/bar.js';
import { useTheme, accent } from '../theme.js';
import { Pane, innerSize } from './Pane.js';

export interface TsnePaneProps {
  tsne?: Load<TsneResult>;
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
/** Distinct terminal colours cycled over classes; glyphs keep classes apart when colours repeat or are off. */
const CLASS_COLOURS = ['red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright'];

export function classGlyph(k: number): string {
  return k >= 0 && k < CLASS_GLYPHS.length ? CLASS_GLYPHS[k] : '*';
}

function glyphOf(k: number, colour: 'class' | 'domain'): string {
  if (k === EMPTY) return ' ';
  if (colour === 'domain') return k === MIXED ? BOTH_GLYPH : k === 0 ? SOURCE_GLYPH : TARGET_GLYPH;
  return classGlyph(k);
}

function colourOf(k: number, colour: 'class' | 'domain'): string | undefined {
  if (k === EMPTY) return undefined;
  if (colour === 'domain') return k === MIXED ? 'white' : k === 0 ? 'cyan' : 'yellow';
  return CLASS_COLOURS[k % CLASS_COLOURS.length];
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
  if (!r || r.points.length === 0) return message('no feature dump to embed (features.npz / *.npy beside the run)');
  const gridH = Math.max(1, inner.height - 1);
  const keys = colour === 'domain' ? r.domains : r.labels;
  const grid = scatterGrid(r.points, keys, inner.width, gridH, colour === 'domain' ? 'mixed' : 'majority');
  const n = r.points.length >> 1;
  let legend: string;
  if (colour === 'domain') {
    let src = 0;
    for (let i = 0; i < r.domains.length; i++) if (r.domains[i] === 0) src++;
    let occupied = 0, mixed = 0;
    for (let i = 0; i < grid.cells.length; i++) {
      if (grid.cells[i] !== EMPTY) occupied++;
      if (grid.cells[i] === MIXED) mixed++;
    }
    legend = `${SOURCE_GLYPH} source ${src}  ${TARGET_GLYPH} target ${r.domains.length - src}  ${BOTH_GLYPH} both ${occupied ? Math.round((100 * mixed) / occupied) : 0}%`;
  } else {
    const classes = new Set<number>();
    for (let i = 0; i < r.labels.length; i++) classes.add(r.labels[i]);
    const sorted = [...classes].sort((a, b) => a - b);
    // without class names the glyph is the class index already: say so once instead of "0=0 1=1 ..."
    legend = r.classNames
      ? sorted.map((k) => `${classGlyph(k)}=${r.classNames?.[k] ?? k}`).join(' ')
      : `glyph = class index (${sorted.map(classGlyph).join('')})`;
  }
  const capped = r.capped !== undefined && r.capped > n ? ` · ${n} of ${r.capped} pts` : ` · ${n} pts`;
  return (
    <Pane title={title} hint={hint} focused={focused} width={width} height={height}>
      {Array.from({ length: gridH }, (_, y) => (
        <Box key={y}>
          <Text wrap="truncate-end">
            {segments(grid.cells, y, grid.width).map((s, j) => (
              <Text key={j} color={theme.color ? colourOf(s.k, colour) : undefined}>{glyphOf(s.k, colour).repeat(s.n)}</Text>
            ))}
          </Text>
        </Box>
      ))}
      <Text dimColor wrap="truncate-end">{legend}{capped}</Text>
    </Pane>
  );
}
