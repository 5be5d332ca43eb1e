/**
 * Start-up cost of two CLI builds side by side: `node --import tsx test/bench/compare-builds.ts
 * <old dist/node> [--rounds 11]` (under test/with-keyring.sh; it re-runs itself there).
 *
 * A change meant to make every CLI start cheaper is judged against the build before it on the
 * same machine at the same moment: each round runs `node -e 0` and every command once with the
 * old build and once with the current dist/node, in alternating order, so machine load (two
 * cores shared with other work) falls on both sides alike. Copy the old build inside the repo
 * (for example to .tmp/dist-old/node) so its external packages resolve from the same
 * node_modules. Reports the median and the spread (min, quartiles, max) of the CPU time
 * (user + system, from bash's `time`), which a loaded machine disturbs far less than the wall
 * time, and of the wall time. Reports, never asserts: not part of `npm test` or `npm run bench`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  CLI,
  NODE,
  benchHome,
  log,
  median,
  rerunInKeyring,
  seedConnections,
  seedUsableConnection,
  timedRun,
} from './util';

const argv = process.argv.slice(2);
const roundsAt = argv.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(argv[roundsAt + 1]) : 11;
const oldDir = argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--rounds');
if (!oldDir || !existsSync(path.join(oldDir, 'patchbay.js')) || !(rounds > 0)) {
  log('Usage: node --import tsx test/bench/compare-builds.ts <old dist/node folder> [--rounds 11]');
  process.exit(2);
}
const OLD_CLI = path.resolve(oldDir, 'patchbay.js');

rerunInKeyring();

/** Quartile by linear interpolation between sorted neighbours. */
function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (at - lo);
}
const spread = (v: number[]) =>
  `${median(v).toFixed(1)} ms (min ${Math.min(...v).toFixed(1)}, q1 ${quantile(v, 0.25).toFixed(1)}, q3 ${quantile(v, 0.75).toFixed(1)}, max ${Math.max(...v).toFixed(1)})`;

/** bash's `time` reports the child's wall, user and system seconds (ms precision) on stderr's last line. */
const TIMED = 'TIMEFORMAT="@@time %3R %3U %3S"; time "$@" >/dev/null';

/** Run node with `args` once: its CPU and wall milliseconds, or an error naming the command. */
async function measured(args: string[], env: NodeJS.ProcessEnv): Promise<{ cpu: number; wall: number }> {
  const run = await timedRun('bash', ['-c', TIMED, 'timed', NODE, ...args], env);
  const m = /@@time (\S+) (\S+) (\S+)\s*$/.exec(run.stderr);
  if (run.code !== 0 || !m) throw new Error(`${args.join(' ')} failed (exit ${run.code}): ${run.stderr}`);
  return { cpu: (Number(m[2]) + Number(m[3])) * 1000, wall: Number(m[1]) * 1000 };
}

const box = await benchHome('compare');
try {
  // 1,000 stored connections (as the status bench) plus one usable connection for exec.
  await seedConnections(box.home, 1000);
  const id = 'compare-0000beef';
  await seedUsableConnection(box, {
    id,
    providerId: 'compare',
    name: 'Compare',
    accessToken: `compare-access-${Date.now().toString(36)}`,
    base: 'http://127.0.0.1:9',
  });
  const commands: Record<string, string[]> = {
    '--version': ['--version'],
    providers: ['providers'],
    status: ['status'],
    'exec -- true': ['exec', id, '--', 'true'],
  };
  // Both builds must actually work on this home before anything is timed.
  for (const [name, args] of Object.entries(commands)) {
    for (const cli of [OLD_CLI, CLI]) {
      const run = await timedRun(NODE, [cli, ...args], box.env);
      if (run.code !== 0) throw new Error(`${name} failed with ${cli} (exit ${run.code}): ${run.stderr}`);
    }
  }
  type Series = { cpu: number[]; wall: number[] };
  const series = (): Series => ({ cpu: [], wall: [] });
  const push = (to: Series, m: { cpu: number; wall: number }) => (to.cpu.push(m.cpu), to.wall.push(m.wall));
  const times: Record<string, { old: Series; now: Series }> = {};
  const baseline = series();
  for (const name of Object.keys(commands)) times[name] = { old: series(), now: series() };
  for (let i = 0; i < rounds; i += 1) {
    push(baseline, await measured(['-e', '0'], box.env));
    for (const [name, args] of Object.entries(commands)) {
      const order = i % 2 === 0 ? (['old', 'now'] as const) : (['now', 'old'] as const);
      for (const side of order)
        push(times[name]![side], await measured([side === 'old' ? OLD_CLI : CLI, ...args], box.env));
    }
    log(`  round ${i + 1}/${rounds}`);
  }
  console.log(`${rounds} interleaved rounds with ${NODE}; median (min, quartiles, max)`);
  console.log(`node -e 0\n  cpu:  ${spread(baseline.cpu)}\n  wall: ${spread(baseline.wall)}`);
  for (const [name, { old, now }] of Object.entries(times)) {
    console.log(name);
    for (const kind of ['cpu', 'wall'] as const) {
      // Each round's old and new ran back to back, so their difference shares that moment's load.
      const paired = old[kind].map((o, i) => o - now[kind][i]!);
      console.log(`  ${kind} old: ${spread(old[kind])}\n  ${kind} new: ${spread(now[kind])}`);
      console.log(`  ${kind} old - new, per round: ${spread(paired)}`);
    }
  }
} finally {
  await box.cleanup();
}
