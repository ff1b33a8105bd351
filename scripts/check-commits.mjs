// Checks the subjects of the commits since the one named in .ci/commit-base (merges aside):
// at most 72 characters, in the form `area: what`. CONTRIBUTING.md states the rule; this holds it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const base = readFileSync(new URL('../.ci/commit-base', import.meta.url), 'utf8').trim();
const git = (...args) => execFileSync('git', args, { encoding: 'utf8' });
try {
  git('cat-file', '-e', `${base}^{commit}`);
} catch {
  console.log(`commits: ${base} is not in this clone (shallow?); subjects not checked`);
  process.exit(0);
}
const bad = [];
let count = 0;
for (const line of git('log', '--no-merges', '--format=%h %s', `${base}..HEAD`).split('\n')) {
  if (line === '') continue;
  count++;
  const [hash, ...rest] = line.split(' ');
  const subject = rest.join(' ');
  const length = [...subject].length;
  if (length > 72) bad.push(`${hash} has a subject of ${length} characters (at most 72): ${subject}`);
  else if (!/^[a-z0-9][a-z0-9 ,./_-]*: \S/.test(subject)) bad.push(`${hash} does not start with 'area: ': ${subject}`);
}
if (bad.length > 0) {
  console.error(bad.join('\n'));
  process.exit(1);
}
console.log(`commits: ${count} subjects since ${base.slice(0, 7)} are 'area: what' within 72 characters`);
