// Summarises a .cpuprofile (node --cpu-prof): self time per function, top N.
//   node bench/profile-summary.mjs <file.cpuprofile> [N]
import { readFileSync } from 'node:fs';

const [file, nArg] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const dt = new Map();
for (let i = 0; i < prof.samples.length; i++) dt.set(prof.samples[i], (dt.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
const self = new Map();
let total = 0;
for (const node of prof.nodes) {
  const t = dt.get(node.id) ?? 0;
  total += t;
  const f = node.callFrame;
  const where = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(src|node_modules|bench)\//, '$1/')}:${f.lineNumber + 1}`;
  self.set(where, (self.get(where) ?? 0) + t);
}
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(nArg ?? 30));
for (const [where, t] of rows) console.log(`${((t / total) * 100).toFixed(1).padStart(5)}%  ${(t / 1000).toFixed(0).padStart(6)} ms  ${where}`);
