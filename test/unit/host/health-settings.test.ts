/**
 * The health checks' two knobs: `preferences.healthCheckHours` in the settings (a bad value is
 * named with its fix and the default is used, the file is never thrown away for it) and
 * PATCHBAY_HEALTH_INTERVAL_MS (honoured only when set; a bad value stops the host with its name).
 */
import { describe, expect, it } from 'vitest';
import { healthCheckSetting } from '../../../main/core/storage/settings-schema';
import { parseSettingsDocument } from '../../../main/core/storage/settings-schema';
import { healthIntervalFromEnv } from '../../../main/host/health-settings';
import { defaultSettings } from '../../../main/core/storage/settings';

describe('preferences.healthCheckHours', () => {
  it('defaults to every 6 hours and takes hours from 0.25 to 168', () => {
    expect(healthCheckSetting({})).toEqual({ intervalMs: 6 * 3_600_000, problem: null });
    expect(healthCheckSetting({ healthCheckHours: 1 })).toEqual({ intervalMs: 3_600_000, problem: null });
    expect(healthCheckSetting({ healthCheckHours: 0.25 })).toEqual({ intervalMs: 900_000, problem: null });
    expect(healthCheckSetting({ healthCheckHours: 168 }).intervalMs).toBe(168 * 3_600_000);
  });

  it.each([0, -1, 0.1, 169, '6', null, Number.NaN, { hours: 6 }])(
    'refuses %j by the field name, with the fix, and uses the default',
    (value) => {
      const { intervalMs, problem } = healthCheckSetting({ healthCheckHours: value });
      expect(intervalMs).toBe(6 * 3_600_000);
      expect(problem).toContain('preferences.healthCheckHours');
      expect(problem).toContain('from 0.25 to 168');
    },
  );

  it('a bad value does not make the settings file invalid (nothing is moved aside for it)', () => {
    const doc = { ...defaultSettings(), preferences: { theme: 'system', healthCheckHours: 'often' } };
    expect(parseSettingsDocument(doc as unknown as Record<string, unknown>).success).toBe(true);
  });
});

describe('PATCHBAY_HEALTH_INTERVAL_MS', () => {
  it('is only honoured when set', () => {
    expect(healthIntervalFromEnv({})).toBeUndefined();
    expect(healthIntervalFromEnv({ PATCHBAY_HEALTH_INTERVAL_MS: '  ' })).toBeUndefined();
    expect(healthIntervalFromEnv({ PATCHBAY_HEALTH_INTERVAL_MS: '2000' })).toBe(2000);
  });

  it.each(['0', '999', '1.5', '2e3', 'soon', '604800001'])('refuses %j, naming the variable', (value) => {
    expect(() => healthIntervalFromEnv({ PATCHBAY_HEALTH_INTERVAL_MS: value })).toThrow(
      expect.objectContaining({ code: 'invalid_input', field: 'PATCHBAY_HEALTH_INTERVAL_MS' }),
    );
  });
});
