// Splits a metric name the way people write them (`Domain_acc`, `val/loss`, `trainSrcAcc`, `loss-epoch`,
// `Acc@1`, `env0_out_acc`) into lower-case word tokens, so role inference can look at words, not spellings.

/** Tokens of a raw metric name: split on `/ _ - . space @ : ( ) [ ] ,` and on camelCase / letter-digit-word boundaries. */
export function tokenize(raw: string): string[] {
  const spaced = raw
    // camelCase and PascalCase: "trainSrcAcc" -> "train Src Acc", "GRLCoeff" -> "GRL Coeff"
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    // the space goes after the capital that precedes Capital+lower. A lookahead keeps this linear: the former
    // /([A-Z]+)([A-Z][a-z])/ backtracked over the whole capital run at every start, quadratic in a long run of
    // capitals with no lower-case after it (a mangled CSV header cell of 186 K "S"s took minutes)
    .replace(/([A-Z])(?=[A-Z][a-z])/g, '$1 ');
  return spaced
    .toLowerCase()
    .split(/[\s/_\-.@:()[\],|=]+/)
    .filter((t) => t.length > 0);
}

/** A name with its tokens, plus helpers to ask about them. */
export interface TokenizedName {
  raw: string;
  tokens: string[];
  /** true when any token equals one of `words` */
  has(words: ReadonlySet<string>): string | undefined;
}

export function tokenized(raw: string): TokenizedName {
  const tokens = tokenize(raw);
  return {
    raw,
    tokens,
    has(words) {
      return tokens.find((t) => words.has(t));
    },
  };
}

/**
 * Granularity markers tools add to a name: Lightning `_step` / `_epoch`, Keras TF2 `epoch_`, `-iteration`,
 * `/epoch`. Returns the marker and the tokens without it (so `loss_epoch` is read as `loss`).
 */
export function granularityMarker(tokens: readonly string[]): { granularity?: 'step' | 'epoch'; marker?: string; rest: string[] } {
  const STEP = new Set(['step', 'iter', 'iteration', 'iterations', 'batch', 'it']);
  const EPOCH = new Set(['epoch', 'ep']);
  // `epoch_3` / `step 10` name WHICH epoch (Lightning's per-epoch child tags), not the granularity
  const indexed = tokens.findIndex((t, i) => (STEP.has(t) || EPOCH.has(t)) && /^\d+$/.test(tokens[i + 1] ?? ''));
  if (indexed >= 0) {
    const inner = granularityMarker(tokens.slice(0, indexed));
    return { ...inner, rest: [...inner.rest, ...tokens.slice(indexed)] };
  }
  if (tokens.length > 1) {
    const last = tokens[tokens.length - 1];
    if (STEP.has(last)) return { granularity: 'step', marker: last, rest: tokens.slice(0, -1) };
    if (EPOCH.has(last)) return { granularity: 'epoch', marker: last, rest: tokens.slice(0, -1) };
    // Keras TF2: `epoch_loss`; also `train/epoch_accuracy`
    const i = tokens.findIndex((t) => EPOCH.has(t));
    if (i >= 0 && i < tokens.length - 1) return { granularity: 'epoch', marker: tokens[i], rest: tokens.filter((_, j) => j !== i) };
    const s = tokens.findIndex((t) => STEP.has(t));
    if (s >= 0 && s < tokens.length - 1) return { granularity: 'step', marker: tokens[s], rest: tokens.filter((_, j) => j !== s) };
  }
  return { rest: [...tokens] };
}
