/** Child process for storage-trace.test.ts: appends `count` one-entry flows to one shared trace. */
import { appendTraceEntries } from '../../main/core/storage/trace';

const [home, who, count] = process.argv.slice(2);
for (let i = 0; i < Number(count); i += 1) {
  await appendTraceEntries(home!, 'conn:shared', [
    { at: new Date().toISOString(), step: `p${who}-${i}`, detail: 'step', ok: true },
  ]);
}
