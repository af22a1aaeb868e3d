// Where range and marker labels go on a curve plot so none overlaps another: each label is a box of estimated width
// starting at its anchor (clamped inside the plot), put on the first text row where it meets no box already placed.
// Pure: numbers in, rows out, so the layout is tested without drawing.

/** DejaVu Sans (the font the PNGs are drawn with) averages about 0.6 em per character; 0.62 errs on the wide side. */
export const CHAR_EM = 0.62;

export interface LabelBox {
  /** the x the label belongs to (start of its range, or its marker) */
  anchor: number;
  text: string;
}

export interface PlacedLabel {
  /** left edge after clamping into [left, right] */
  x: number;
  /** 0 = the first text row, 1 the next ... */
  row: number;
  width: number;
}

/** Estimated width of a label in px. */
export function labelWidth(text: string, fontSize: number): number {
  return Math.ceil([...text].length * fontSize * CHAR_EM);
}

/**
 * Rows for labels in the order given (earlier labels keep the upper rows). A label wider than the room to the plot's
 * right edge is moved left to end there. Cost O(n^2) for n labels (a handful per plot).
 */
export function placeLabels(labels: readonly LabelBox[], fontSize: number, left: number, right: number, gap = 6): PlacedLabel[] {
  const placed: PlacedLabel[] = [];
  for (const l of labels) {
    const width = labelWidth(l.text, fontSize);
    const x = Math.max(left, Math.min(l.anchor, right - width));
    let row = 0;
    while (placed.some((p) => p.row === row && x < p.x + p.width + gap && p.x < x + width + gap)) row++;
    placed.push({ x, row, width });
  }
  return placed;
}
