/**
 * status_1000_ms, status_1000_keychain_reads and node_baseline_ms.
 *
 * `patchbay status --json` runs as a real process (the built dist/node/patchbay.js on Node 22)
 * over 1,000 stored connections; `node -e 0` runs in the same loop as the baseline, interleaved so
 * both see the same machine load. Keychain reads are counted from the outside, on the D-Bus
 * session the keyring lives on: `dbus-monitor` records every method call to the Secret Service
 * interfaces while one status run executes. The counter is calibrated in the same run with a
 * process that reads one keychain entry, so "0 reads" cannot come from a blind counter.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, NODE, benchHome, log, median, seedConnections, timedRun } from './util';

/** Count Secret Service method calls on the session bus while `during` runs. */
async function countSecretServiceCalls(during: () => Promise<void>): Promise<number> {
  const monitor: ChildProcess = spawn('dbus-monitor', ['--session', "type='method_call'"], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  monitor.stdout!.on('data', (c: Buffer) => (text += c.toString('utf8')));
  // Wait until the monitor is attached (it prints the NameAcquired/NameLost signals it receives).
  const ready = Date.now() + 5_000;
  while (!text.includes('member=') && Date.now() < ready) await new Promise((r) => setTimeout(r, 20));
  if (!text.includes('member=')) {
    monitor.kill();
    throw new Error('dbus-monitor did not attach to the session bus (run the bench inside test/with-keyring.sh)');
  }
  try {
    await during();
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    monitor.kill('SIGTERM');
    await new Promise((r) => monitor.once('close', r));
  }
  return text
    .split('\n')
    .filter((line) => line.startsWith('method call') && /interface=org\.freedesktop\.Secret\./.test(line)).length;
}

export interface StatusResult {
  statusMs: number;
  baselineMs: number;
  keychainReads: number;
  calibrationCalls: number;
  rounds: number;
}

export async function measureStatus(rounds = 9): Promise<StatusResult> {
  const box = await benchHome('status');
  try {
    await seedConnections(box.home, 1000);
    const statusArgs = [CLI, 'status', '--json'];
    const check = await timedRun(NODE, statusArgs, box.env);
    const listed = JSON.parse(check.stdout) as unknown[];
    if (check.code !== 0 || listed.length !== 1000)
      throw new Error(`status listed ${listed.length} connections (exit ${check.code}): ${check.stderr}`);

    const statusTimes: number[] = [];
    const baseTimes: number[] = [];
    for (let i = 0; i < rounds; i += 1) {
      const first = i % 2 === 0;
      const a = first ? await timedRun(NODE, statusArgs, box.env) : await timedRun(NODE, ['-e', '0'], box.env);
      const b = first ? await timedRun(NODE, ['-e', '0'], box.env) : await timedRun(NODE, statusArgs, box.env);
      statusTimes.push((first ? a : b).ms);
      baseTimes.push((first ? b : a).ms);
    }

    const keychainReads = await countSecretServiceCalls(async () => {
      const run = await timedRun(NODE, statusArgs, box.env);
      if (run.code !== 0) throw new Error(`status failed under the monitor: ${run.stderr}`);
    });
    const calibrationCalls = await countSecretServiceCalls(async () => {
      const probe = `require('keytar').getPassword(${JSON.stringify(box.service)}, 'connection:none').then(() => process.exit(0))`;
      const run = await timedRun(NODE, ['-e', probe], box.env);
      if (run.code !== 0) throw new Error(`keychain calibration failed: ${run.stderr}`);
    });
    if (calibrationCalls === 0)
      throw new Error('the D-Bus counter saw no call for a real keychain read: it cannot be trusted');
    const result = {
      statusMs: median(statusTimes),
      baselineMs: median(baseTimes),
      keychainReads,
      calibrationCalls,
      rounds,
    };
    log(
      `  status: ${result.statusMs.toFixed(1)} ms (node -e 0: ${result.baselineMs.toFixed(1)} ms), Secret Service calls ${keychainReads} (one real read makes ${calibrationCalls})`,
    );
    return result;
  } finally {
    await box.cleanup();
  }
}
