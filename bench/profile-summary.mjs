// Summarises a V8 CPU profile (node --cpu-prof): the share of the busy samples spent in each package
// (node_modules/<name>), each of the repository's files, Node's internals and the garbage collector,
// then the top functions by self time. Samples taken while the thread was off the CPU inside a system
// call (a socket write that woke the database's process: "writeBuffer") count as busy here; compare
// with process.cpuUsage (bench/writes-profile.mts prints it).
//
//   TOP=30 node bench/profile-summary.mjs /tmp/prof/*.cpuprofile
// (several files are summed: with tsx, its loader thread writes a profile of its own.)
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2);
if (!files.length) {
  console.error('usage: TOP=30 node bench/profile-summary.mjs <file.cpuprofile>…');
  process.exit(2);
}
const top = Number(process.env.TOP ?? 30);
const nodes = new Map();
const self = new Map();
for (const [k, file] of files.entries()) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  for (const n of profile.nodes) nodes.set(`${k}:${n.id}`, n);
  profile.samples.forEach((id, i) => {
    const key = `${k}:${id}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
}

const where = (n) => {
  const url = n.callFrame.url;
  if (!url) return n.callFrame.functionName || '(native)';
  const pkg = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url;
  return url.replace(/^.*?\/(src|plugins|bench|test)\//, '$1/');
};
const byPlace = new Map();
const byFunction = new Map();
let busy = 0;
for (const [id, us] of self) {
  const n = nodes.get(id);
  if (n.callFrame.functionName === '(idle)') continue;
  busy += us;
  const place = where(n);
  byPlace.set(place, (byPlace.get(place) ?? 0) + us);
  const fn = `${place} ${n.callFrame.functionName || '(anonymous)'}:${n.callFrame.lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
}
const show = (m) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .forEach(([k, us]) => console.log(`${((us / busy) * 100).toFixed(1).padStart(5)} %  ${k}`));
console.log(`busy ${(busy / 1e6).toFixed(1)} s of samples\n\nby place:`);
show(byPlace);
console.log('\nby function (self time):');
show(byFunction);
