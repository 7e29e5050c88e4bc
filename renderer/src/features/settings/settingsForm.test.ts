import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../shared/model/settings.js';
import { draftOf, formatMinutes, minutesToMs, planSave } from './settingsForm.js';

describe('settings form', () => {
  it('shows the command timeout in minutes', () => {
    expect(draftOf(DEFAULT_SETTINGS).commandTimeoutMinutes).toBe('10');
    expect(formatMinutes(90_000)).toBe('1.5');
    expect(formatMinutes(1_000)).toBe('0.017');
    expect(minutesToMs('1.5')).toBe('90000');
    expect(minutesToMs(' 20 ')).toBe('1200000');
    expect(minutesToMs('.5')).toBe('30000');
    for (const bad of ['', 'ten', '-1', '1e3', '1,5', '0x10']) expect(minutesToMs(bad)).toBeNull();
  });

  it('plans one settings.set per changed field, converting minutes to ms', () => {
    const draft = { ...draftOf(DEFAULT_SETTINGS), maxRunning: '6', commandTimeoutMinutes: '20' };
    expect(planSave(draft, DEFAULT_SETTINGS)).toEqual({
      ok: true,
      changes: [
        { field: 'maxRunning', key: 'maxRunning', value: '6' },
        { field: 'commandTimeoutMinutes', key: 'commandTimeoutMs', value: '1200000' },
      ],
    });
    expect(planSave(draftOf(DEFAULT_SETTINGS), DEFAULT_SETTINGS)).toEqual({ ok: true, changes: [] });
  });

  it('passes other text to the host as typed (it validates), but catches minutes it cannot read', () => {
    expect(planSave({ ...draftOf(DEFAULT_SETTINGS), maxRunning: 'lots' }, DEFAULT_SETTINGS)).toMatchObject({
      ok: true,
      changes: [{ key: 'maxRunning', value: 'lots' }],
    });
    expect(planSave({ ...draftOf(DEFAULT_SETTINGS), commandTimeoutMinutes: 'soon' }, DEFAULT_SETTINGS)).toEqual({
      ok: false,
      errors: { commandTimeoutMinutes: 'Enter a number of minutes, like 10 or 1.5.' },
    });
  });
});
