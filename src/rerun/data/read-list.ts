// The images of one task: a tllib ImageList file (`relative/path.jpg <label>` lines) or a torchvision ImageFolder
// (`class/xxx.png`, classes sorted). Bad lines are counted with the first line number, never thrown.
import { readFile, readdir } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { ListedImage } from '../types.js';
import type { ImageSource } from './dataset-layout.js';

/** A list longer than this is not an image list (DomainNet's largest, real_train, has ~120k lines). */
export const MAX_LIST_LINES = 5_000_000;

/** torchvision's IMG_EXTENSIONS: the files an ImageFolder takes. */
const IMG_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.ppm', '.bmp', '.pgm', '.tif', '.tiff', '.webp'];

export interface ListedTask {
  images: ListedImage[];
  /** lines that are not `path label` (no label, a label that is not a whole number): count and the first line */
  badLines: { count: number; first?: { file: string; line: number; text: string } };
  /** ImageFolder: the class names in label order */
  classNames?: string[];
}

/**
 * tllib's ImageList.parse_data_file: the label is the LAST whitespace-separated token, the path everything before
 * it (paths may contain spaces); a relative path is joined to the dataset root.
 */
export function parseImageList(text: string, file: string, root: string): ListedTask {
  const images: ListedImage[] = [];
  const badLines: ListedTask['badLines'] = { count: 0 };
  const lines = text.split(/\r?\n/);
  if (lines.length > MAX_LIST_LINES) throw new Error(`${file}: ${lines.length} lines, more than an image list holds (${MAX_LIST_LINES})`);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const m = /^(.*\S)\s+(\S+)$/.exec(line);
    const label = m ? Number(m[2]) : NaN;
    if (!m || !/^[+-]?\d+$/.test(m[2]!) || !Number.isSafeInteger(label)) {
      badLines.count++;
      badLines.first ??= { file, line: i + 1, text: line.length > 80 ? `${line.slice(0, 77)}...` : line };
      continue;
    }
    const p = m[1]!;
    images.push({ path: isAbsolute(p) ? p : join(root, p), label, listFile: file, line: i + 1 });
  }
  return { images, badLines };
}

/** torchvision's ImageFolder: classes = sorted sub-directories, files walked in sorted order, image extensions only. */
export async function listImageFolder(dir: string): Promise<ListedTask> {
  const entries = await readdir(dir, { withFileTypes: true });
  const classNames = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  const images: ListedImage[] = [];
  for (const [label, cls] of classNames.entries()) {
    const files: string[] = [];
    await walk(join(dir, cls), files);
    files.sort();
    for (const f of files) images.push({ path: f, label, listFile: dir, line: 0 });
  }
  return { images, badLines: { count: 0 }, classNames };
}

async function walk(dir: string, out: string[]): Promise<void> {
  // symbolic links are not followed: a link can lead outside the data directory or into a cycle
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile() && IMG_EXTENSIONS.some((x) => e.name.toLowerCase().endsWith(x))) out.push(p);
  }
}

/** The images of one resolved task. */
export async function readTask(src: ImageSource): Promise<ListedTask> {
  if (src.kind === 'image-folder') return listImageFolder(src.dir);
  return parseImageList(await readFile(src.file, 'utf8'), src.file, src.root);
}
