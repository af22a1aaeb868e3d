// One self-rewriting status line on stderr for long work: phase, how far (percent), and an ETA.
//
// Shown only when stderr is a terminal (a log file or CI must not fill up with carriage returns) and only once the
// work has run for SHOW_AFTER_MS: a plain diagnosis answers well within that and should print nothing extra.

/** Work shorter than this shows no progress at all (anything over a second does). */
export const SHOW_AFTER_MS = 1000;
/** Redraw at most this often: smooth enough for a person, cheap for a slow terminal. */
export const REDRAW_MS = 100;
/** An ETA from less progress than this is noise (start-up costs dominate); the line shows none until then. */
export const MIN_FRACTION_FOR_ETA = 0.05;

const CLEAR_LINE = '\r\u001b[2K';
/** "step 20/100", "rows 300/1124": a counter in the phase text */
const STEPS = /(\d+)\s*\/\s*(\d+)/;

export interface ProgressLineOptions {
  /** stderr's columns; the line is cut to fit so it never wraps (a wrapped line cannot be cleared by \r) */
  columns?: number;
  now?: () => number;
}

/** Seconds as "45 s" / "2 min 05 s". */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** The text of the line: "phase 43% · about 12 s left". Pure, for tests. */
export function progressText(message: string, fraction: number | undefined, elapsedMs: number): string {
  if (fraction === undefined || !Number.isFinite(fraction)) return message;
  const f = Math.min(1, Math.max(0, fraction));
  const pct = `${Math.floor(f * 100)}%`;
  if (f < MIN_FRACTION_FOR_ETA || f >= 1) return `${message} ${pct}`;
  const left = (elapsedMs / 1000) * ((1 - f) / f);
  return `${message} ${pct} · about ${formatEta(left)} left`;
}

export class ProgressLine {
  private readonly started: number;
  private lastDraw = -Infinity;
  private shown = false;
  private message = '';
  private fraction: number | undefined;
  /** the fraction's own clock: an ETA is measured from when the current phase's fraction started counting */
  private fractionStart: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** the message without its step counter, while fractions come from the counter */
  private phase: string | undefined;
  private readonly now: () => number;

  constructor(private readonly out: NodeJS.WritableStream, private readonly opts: ProgressLineOptions = {}) {
    this.now = opts.now ?? (() => Date.now());
    this.started = this.now();
    // a phase that stays silent past the delay still appears (no update needed to show it)
    this.timer = setTimeout(() => this.draw(true), SHOW_AFTER_MS);
    this.timer.unref();
  }

  /**
   * New phase text and, when known, the fraction done (0..1) of the whole task. Without one, a "step 20/100" in the
   * text gives the phase's own fraction (its ETA is then for the phase, timed from the phase's first step).
   */
  update(message: string, fraction?: number): void {
    if (fraction === undefined) {
      const steps = STEPS.exec(message);
      const phase = message.replace(STEPS, '');
      if (steps && Number(steps[2]) > 0) fraction = Number(steps[1]) / Number(steps[2]);
      if (phase !== this.phase) this.fraction = undefined;
      this.phase = phase;
    } else this.phase = undefined;
    this.message = message;
    if (fraction !== undefined && (this.fraction === undefined || fraction < this.fraction)) this.fractionStart = this.now();
    this.fraction = fraction;
    this.draw(false);
  }

  private draw(force: boolean): void {
    const t = this.now();
    if (t - this.started < SHOW_AFTER_MS || !this.message) return;
    if (!force && t - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = t;
    this.shown = true;
    let text = progressText(this.message, this.fraction, t - (this.fractionStart ?? this.started));
    const cols = this.opts.columns;
    if (cols && text.length >= cols) text = `${text.slice(0, Math.max(0, cols - 2))}…`;
    this.out.write(`${CLEAR_LINE}${text}`);
  }

  /** Clears the line (if it was ever drawn) and stops; call before printing anything else to the terminal. */
  done(): void {
    clearTimeout(this.timer);
    if (this.shown) this.out.write(CLEAR_LINE);
    this.shown = false;
    this.message = '';
  }
}
