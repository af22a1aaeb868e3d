// JSON as Python's json.dumps writes it: bare NaN, Infinity and -Infinity tokens are allowed (W&B summaries and
// history values hold them when training diverged). Linear time: one pass marks the tokens outside strings.

const MARK = '\uE000nf:';

/** Parses `text`, reading bare NaN / Infinity / -Infinity as numbers. Throws SyntaxError like JSON.parse otherwise. */
export function parseLenientJson(text: string): unknown {
  if (!/NaN|Infinity/.test(text)) return JSON.parse(text);
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) { inString = true; continue; }
    const tok = text.startsWith('NaN', i) ? 'NaN' : text.startsWith('-Infinity', i) ? '-Infinity' : text.startsWith('Infinity', i) ? 'Infinity' : '';
    if (tok) {
      out += `${text.slice(last, i)}"${MARK}${tok}"`;
      i += tok.length - 1;
      last = i + 1;
    }
  }
  out += text.slice(last);
  return JSON.parse(out, (_k, v) => {
    if (typeof v === 'string' && v.startsWith(MARK)) {
      const t = v.slice(MARK.length);
      return t === 'NaN' ? NaN : t === 'Infinity' ? Infinity : -Infinity;
    }
    return v;
  });
}
