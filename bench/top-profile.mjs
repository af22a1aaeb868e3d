// Prints the hottest functions of a V8 .cpuprofile (self and inclusive ms): node bench/top-profile.mjs DIR-or-FILE [self=40] [inclusive=60]
import { readFileSync, readdirSync } from 'node:fs';
import { statSync } from 'node:fs';
const arg = process.argv[2];
const file = statSync(arg).isDirectory() ? `${arg}/${readdirSync(arg).filter((x) => x.endsWith('.cpuprofile'))[0]}` : arg;
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map(n => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas; let total = 0;
for (let i = 0; i < p.samples.length; i++) { const n = byId.get(p.samples[i]); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + dt[i]); total += dt[i]; }
// inclusive
const parent = new Map(); for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map();
const cnt = new Map(); for (let i=0;i<p.samples.length;i++) cnt.set(p.samples[i], (cnt.get(p.samples[i])??0)+dt[i]);
for (const [id, t] of cnt) { let cur = id; const seen = new Set(); while (cur !== undefined) { const n = byId.get(cur); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`; if (!seen.has(k)) { incl.set(k, (incl.get(k) ?? 0) + t); seen.add(k); } cur = parent.get(cur); } }
console.log('total ms', (total/1000).toFixed(0));
console.log('--- self');
for (const [k, v] of [...self].sort((a,b)=>b[1]-a[1]).slice(0, Number(process.argv[3] ?? 40))) console.log((v/1000).toFixed(0).padStart(7), k);
console.log('--- inclusive');
for (const [k, v] of [...incl].sort((a,b)=>b[1]-a[1]).slice(0, Number(process.argv[4] ?? 60))) console.log((v/1000).toFixed(0).padStart(7), k);
