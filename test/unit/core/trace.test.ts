import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearRegisteredSecrets, REDACTED } from '../../../main/core/storage/redact';
import {
  loadTrace,
  MAX_TRACE_ENTRIES,
  saveTrace,
  traceFileName,
  TraceRecorder,
} from '../../../main/core/storage/trace';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-trace-'));
});
afterEach(() => {
  clearRegisteredSecrets();
  fs.rmSync(home, { recursive: true, force: true });
});

const fixedClock = (start: number) => {
  let now = start;
  return { now: () => (now += 1000) };
};

describe('TraceRecorder', () => {
  it('stamps entries from the clock and redacts details and URLs', () => {
    const trace = new TraceRecorder('conn-1', fixedClock(Date.UTC(2026, 0, 1)));
    trace.add({
      step: 'token_request',
      ok: true,
      detail: 'sent code=abc123456 to the token endpoint',
      url: 'https://a.example/token?code=abc123456',
      method: 'post',
      httpStatus: 200,
      durationMs: 12.4,
    });
    const [entry] = trace.entries();
    expect(entry).toEqual({
      at: '2026-01-01T00:00:01.000Z',
      step: 'token_request',
      ok: true,
      detail: `sent code=${REDACTED} to the token endpoint`,
      url: `https://a.example/token?code=${REDACTED}`,
      method: 'POST',
      httpStatus: 200,
      durationMs: 12,
    });
  });

  it('replaces registered secrets that have no telltale name', () => {
    const trace = new TraceRecorder('conn-2');
    trace.registerSecret('opaque-access-token-value');
    trace.add({ step: 'identify', ok: false, detail: 'provider page echoed opaque-access-token-value in its HTML' });
    expect(JSON.stringify(trace.entries())).not.toContain('opaque-access-token-value');
    expect(trace.knownSecrets()).toEqual(['opaque-access-token-value']);
  });

  it('keeps only the newest entries', () => {
    const trace = new TraceRecorder('conn-3');
    for (let i = 0; i < MAX_TRACE_ENTRIES + 25; i += 1) trace.add({ step: `s${i}`, ok: true, detail: `step ${i}` });
    const entries = trace.entries();
    expect(entries).toHaveLength(MAX_TRACE_ENTRIES);
    expect(entries[0]?.step).toBe('s25');
  });
});

describe('saveTrace / loadTrace', () => {
  it('saves under traces/ and loads it back', async () => {
    const trace = new TraceRecorder('conn-4');
    trace.add({ step: 'authorize', ok: true, detail: 'opened the sign-in page' });
    await saveTrace(home, 'conn-4', trace.entries());
    expect(fs.existsSync(path.join(home, 'traces', 'conn-4.json'))).toBe(true);
    expect(await loadTrace(home, 'conn-4')).toEqual({ subject: 'conn-4', entries: trace.entries() });
  });

  it('redacts again on save: a raw entry with a token never reaches the disk', async () => {
    const raw = [
      {
        at: '2026-01-01T00:00:00.000Z',
        step: 'token_response',
        ok: true,
        detail: '{"access_token":"raw-at-123456","refresh_token":"raw-rt-654321"}',
        url: 'https://x.example/cb?code=raw-code-1',
      },
      { at: '2026-01-01T00:00:01.000Z', step: 'keychain_write', ok: true, detail: 'saved unnamed-secret-777' },
    ];
    await saveTrace(home, 'conn-5', raw, ['unnamed-secret-777']);
    const text = fs.readFileSync(path.join(home, 'traces', 'conn-5.json'), 'utf8');
    for (const secret of ['raw-at-123456', 'raw-rt-654321', 'raw-code-1', 'unnamed-secret-777'])
      expect(text).not.toContain(secret);
  });

  it('keeps the last 200 entries on save', async () => {
    const entries = Array.from({ length: 250 }, (_, i) => ({
      at: new Date(i).toISOString(),
      step: `s${i}`,
      ok: true,
      detail: '',
    }));
    await saveTrace(home, 'conn-6', entries);
    const loaded = await loadTrace(home, 'conn-6');
    expect(loaded.entries).toHaveLength(200);
    expect(loaded.entries[0]?.step).toBe('s50');
  });

  it('sanitises subjects into safe, distinct file names', async () => {
    expect(traceFileName('provider:sandbox')).toMatch(/^provider_sandbox-[0-9a-f]{8}\.json$/);
    expect(traceFileName('provider:sandbox')).not.toBe(traceFileName('provider_sandbox'));
    expect(traceFileName('../../etc/passwd')).not.toContain('/');
    await saveTrace(home, '../escape', [{ at: new Date(0).toISOString(), step: 'x', ok: true, detail: '' }]);
    expect(fs.readdirSync(home)).toEqual(['traces']);
  });

  it('returns an empty trace for unknown or unreadable subjects', async () => {
    expect(await loadTrace(home, 'nobody')).toEqual({ subject: 'nobody', entries: [] });
    fs.mkdirSync(path.join(home, 'traces'));
    fs.writeFileSync(path.join(home, 'traces', 'broken.json'), '{not json');
    expect(await loadTrace(home, 'broken')).toEqual({ subject: 'broken', entries: [] });
  });
});
