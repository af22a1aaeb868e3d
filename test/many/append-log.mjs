// Test helper run as a CHILD PROCESS: appends a real log to a file the way a training job does, driven by commands
// on stdin ("lines N", "half", "rest", "rotate NAME", "stream MS", "exit"); answers "ok ..." on stdout after each.
import { readFileSync, appendFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

const [src, dest0] = process.argv.slice(2);
const lines = readFileSync(src, 'utf8').split('\n');
if (lines.at(-1) === '') lines.pop();
let dest = dest0;
let i = 0;
let halfDone = 0;
writeFileSync(dest, '');

const rl = createInterface({ input: process.stdin });
rl.on('line', (cmd) => {
  const [op, arg] = cmd.trim().split(/\s+/, 2);
  if (op === 'lines') {
    const n = Math.min(Number(arg), lines.length - i);
    if (n > 0) appendFileSync(dest, lines.slice(i, i + n).join('\n') + '\n');
    i += n;
    console.log(`ok ${i}`);
  } else if (op === 'half') {
    halfDone = Math.floor(lines[i].length / 2);
    appendFileSync(dest, lines[i].slice(0, halfDone));
    console.log(`ok ${i}`);
  } else if (op === 'rest') {
    appendFileSync(dest, lines[i].slice(halfDone) + '\n');
    i++;
    halfDone = 0;
    console.log(`ok ${i}`);
  } else if (op === 'rotate') {
    dest = join(dirname(dest), arg);
    writeFileSync(dest, '');
    i = 0;
    console.log(`ok ${i}`);
  } else if (op === 'stream') {
    // a job printing in real time: one line every `arg` ms until the log is written
    const t = setInterval(() => {
      if (i >= lines.length) {
        clearInterval(t);
        console.log(`done ${i}`);
        return;
      }
      appendFileSync(dest, lines[i++] + '\n');
    }, Number(arg));
  } else if (op === 'exit') {
    process.exit(0);
  }
});
