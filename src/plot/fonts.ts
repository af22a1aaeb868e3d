// Finds the TrueType font PNG rendering loads explicitly: resvg draws no text at all when a font is missing.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Environment variable naming a .ttf/.otf to use instead (e.g. for CJK class names). */
export const FONT_ENV = 'DANN_DOCTOR_FONT';

const SYSTEM_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/local/share/fonts/DejaVuSans.ttf',
  '/Library/Fonts/DejaVuSans.ttf',
];

/** The dejavu-fonts-ttf dependency's copy: always there after `npm ci`, so text never depends on the OS. */
function packagedFont(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('dejavu-fonts-ttf/package.json');
    const p = join(dirname(pkg), 'ttf', 'DejaVuSans.ttf');
    return existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

/**
 * Font files for resvg, best first: $DANN_DOCTOR_FONT, the packaged DejaVu Sans, a system DejaVu Sans.
 * Throws when none exists, because a PNG without its labels would be silently wrong.
 */
export function resolveFontFiles(env: Record<string, string | undefined> = {}): string[] {
  const out: string[] = [];
  const fromEnv = env[FONT_ENV];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${FONT_ENV}=${fromEnv}: no such font file`);
    out.push(fromEnv);
  }
  const packaged = packagedFont();
  if (packaged) out.push(packaged);
  for (const p of SYSTEM_CANDIDATES) if (existsSync(p)) out.push(p);
  if (out.length === 0)
    throw new Error('no TrueType font found for PNG text: reinstall dann-doctor (dejavu-fonts-ttf), install fonts-dejavu-core, or set DANN_DOCTOR_FONT');
  return [...new Set(out)];
}
