import { describe, expect, it } from 'vitest';
import { configSettings, deadlineAt, resolveSettings } from '../../../src/loop/settings.js';

const sources = (args: Record<string, unknown> = {}, config: Record<string, unknown> = {}, defaults: Record<string, unknown> = {}) => ({ args: new Map(Object.entries(args)), config, defaults: new Map(Object.entries(defaults)) });

describe('run settings', () => {
  it('take a run argument over choiros.yaml over the program default over the built-in one', () => {
    const { settings, values } = resolveSettings(sources({ max_iterations: 3 }, { max_iterations: 5, deadline: '07:00' }, { max_iterations: 9, deadline: '06:00', checkpoint_interval: '5m' }));
    expect(settings).toMatchObject({ mode: 'assisted', maxIterations: 3, deadline: '07:00', rollbackOnFailure: true });
    expect(Object.fromEntries(values)).toEqual({ mode: 'assisted', max_iterations: 3, deadline: '07:00', checkpoint_interval: '5m', rollback_on_failure: true });
  });

  it('bound an autonomous run that sets no max_iterations, and checkpoint only autonomous runs', () => {
    const autonomous = resolveSettings(sources({ mode: 'autonomous' }, { checkpoint_interval: '5m' }));
    expect(autonomous.settings).toMatchObject({ maxIterations: 10, checkpointIntervalMs: 300_000 });
    expect(autonomous.values.get('max_iterations')).toBe(10);
    const assisted = resolveSettings(sources({}, { checkpoint_interval: '5m' }));
    expect(assisted.settings).toMatchObject({ maxIterations: undefined, checkpointIntervalMs: undefined });
    expect(resolveSettings(sources({ mode: 'autonomous', checkpoint_interval: 'off' })).settings.checkpointIntervalMs).toBeUndefined();
  });

  it('read the forms run arguments come in, and name the source of a bad value', () => {
    const { settings } = resolveSettings(sources({ max_iterations: '4', agent_timeout: '20m', test_threshold: '0.9', rollback_on_failure: 'false' }));
    expect(settings).toMatchObject({ maxIterations: 4, agentTimeoutMs: 1_200_000, testThreshold: 0.9, rollbackOnFailure: false });
    expect(() => resolveSettings(sources({ max_iterations: 0 }))).toThrow('max_iterations=0 (run argument): expected a whole number of failed verifications, 1 or more.');
    expect(() => resolveSettings(sources({}, { mode: 'nightly' }))).toThrow('mode=nightly (choiros.yaml): expected assisted or autonomous.');
    expect(() => resolveSettings(sources({}, {}, { deadline: 'soon' }))).toThrow('deadline=soon (the program’s default): expected a time of day (07:00)');
    expect(() => resolveSettings(sources({ test_threshold: 85 }))).toThrow('expected a pass rate between 0 and 1');
  });

  it('read a bare checkpoint_interval as minutes, as the program writes it (default "every 5 minutes"), wherever it comes from', () => {
    const interval = (args: Record<string, unknown>, defaults: Record<string, unknown> = {}) => resolveSettings(sources({ mode: 'autonomous', ...args }, {}, defaults)).settings.checkpointIntervalMs;
    expect(interval({ checkpoint_interval: 10 })).toBe(600_000);
    expect(interval({ checkpoint_interval: '10' })).toBe(600_000);
    expect(interval({}, { checkpoint_interval: 10 })).toBe(600_000);
    expect(interval({ checkpoint_interval: 1.5 })).toBe(90_000);
    expect(interval({ checkpoint_interval: '90s' })).toBe(90_000);
    expect(interval({ checkpoint_interval: '1h' })).toBe(3_600_000);
    expect(interval({ checkpoint_interval: 0 })).toBeUndefined();
    expect(() => interval({ checkpoint_interval: 'often' })).toThrow('checkpoint_interval=often (run argument): expected a duration like 5m (a bare number is minutes), or off.');
  });

  it('refuse a bare number for agent_timeout and deadline, which could be seconds, minutes, hours or a time of day', () => {
    expect(() => resolveSettings(sources({ agent_timeout: 30 }))).toThrow('agent_timeout=30 (run argument): expected a duration with its unit, like 20m or 1h (a bare number could be seconds or minutes).');
    expect(() => resolveSettings(sources({}, {}, { agent_timeout: '30' }))).toThrow('agent_timeout=30 (the program’s default): expected a duration with its unit');
    expect(() => resolveSettings(sources({ deadline: '7' }))).toThrow('deadline=7 (run argument): expected a time of day (07:00), an ISO date and time, or a duration from the start with its unit (8h).');
    expect(() => resolveSettings(sources({ deadline: 8 }))).toThrow('deadline=8 (run argument)');
    expect(resolveSettings(sources({ agent_timeout: '30m', deadline: '8h' })).settings).toMatchObject({ agentTimeoutMs: 1_800_000, deadline: '8h' });
  });

  it('come from choiros.yaml in the forms a run argument takes', () => {
    expect(configSettings({ run: { max_iterations: 5, agent_timeout: 2_700_000, rollback_on_failure: false }, checkpoints: { interval: 300_000 } })).toEqual({ max_iterations: 5, agent_timeout: '45m00s', rollback_on_failure: false, checkpoint_interval: '5m00s' });
    expect(configSettings({ checkpoints: { interval: 0 } })).toEqual({ checkpoint_interval: 'off' });
  });
});

describe('a deadline', () => {
  const evening = new Date(2026, 0, 30, 23, 0, 0);

  it('at a time of day is the next one after the start of the run', () => {
    expect(deadlineAt('07:00', evening)).toEqual(new Date(2026, 0, 31, 7, 0, 0));
    expect(deadlineAt('23:30', evening)).toEqual(new Date(2026, 0, 30, 23, 30, 0));
    expect(deadlineAt('23:00', evening)).toEqual(new Date(2026, 0, 31, 23, 0, 0));
  });

  it('may be a date and time, or a duration from the start', () => {
    expect(deadlineAt('2026-01-31T06:30:00', evening)).toEqual(new Date(2026, 0, 31, 6, 30, 0));
    expect(deadlineAt('8h', evening)).toEqual(new Date(2026, 0, 31, 7, 0, 0));
    expect(deadlineAt('25:00', evening)).toBeUndefined();
    expect(deadlineAt('tomorrow', evening)).toBeUndefined();
  });
});
