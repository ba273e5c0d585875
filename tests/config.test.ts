import { ConfigError, loadConfig } from '../src/config';

describe('loadConfig', () => {
  it('when nothing is set, then the embedded defaults apply and auth is off', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3978);
    expect(c.authEnabled).toBe(false);
    expect(c.sqlitePath).toMatch(/data[\\/]bot\.sqlite$/);
  });

  it('when an app id, password and log id secret are set, then auth is on', () => {
    expect(loadConfig({ MicrosoftAppId: 'abc', MicrosoftAppPassword: 'pw', LOG_ID_SECRET: 'a-log-id-secret-of-32-characters!' }).authEnabled).toBe(true);
  });

  it('when auth is on without LOG_ID_SECRET, then start-up stops naming it; with auth off it may be unset', () => {
    expect(() => loadConfig({ MicrosoftAppId: 'abc', MicrosoftAppPassword: 'pw' })).toThrow(/^Configuration error: LOG_ID_SECRET is required when MicrosoftAppId is set/);
    expect(() => loadConfig({ MicrosoftAppId: 'abc', MicrosoftAppPassword: 'pw', LOG_ID_SECRET: 'short' })).toThrow(/^Configuration error: LOG_ID_SECRET must be at least 32 characters$/);
    expect(loadConfig({}).LOG_ID_SECRET).toBeUndefined();
  });

  it.each([
    [{ PORT: 'abc' }, /^Configuration error: PORT must be a whole number from 0 to 65535 \(got "abc"\)$/],
    [{ LOG_LEVEL: 'loud' }, /^Configuration error: LOG_LEVEL must be one of/],
    [{ MicrosoftAppType: 'Weird' }, /^Configuration error: MicrosoftAppType must be/],
    [{ MicrosoftAppId: 'abc' }, /^Configuration error: MicrosoftAppPassword is required when MicrosoftAppId is set$/],
    [{ RECORD_UNANSWERED: 'maybe' }, /^Configuration error: RECORD_UNANSWERED must be true or false/],
    [{ METRICS_RETENTION_DAYS: '0' }, /^Configuration error: METRICS_RETENTION_DAYS must be a whole number from 1 to 3650 \(got "0"\)$/],
    [{ METRICS_TIME_ZONE: 'Boston' }, /^Configuration error: METRICS_TIME_ZONE must be a time zone name like America\/New_York or UTC \(got "Boston"\)$/],
    [{ DIRECTLINE_MAX_CONVERSATION_BYTES: '4000000', DIRECTLINE_MAX_TOTAL_BYTES: '2000000' }, /^Configuration error: DIRECTLINE_MAX_CONVERSATION_BYTES must not be larger than DIRECTLINE_MAX_TOTAL_BYTES/],
  ])('when the environment is %j, then start-up stops with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('when the report settings are not set, then daily counts are kept 13 months and counted in Boston days', () => {
    const c = loadConfig({});
    expect(c.METRICS_RETENTION_DAYS).toBe(395);
    expect(c.METRICS_TIME_ZONE).toBe('America/New_York');
    expect(loadConfig({ METRICS_RETENTION_DAYS: '30', METRICS_TIME_ZONE: 'UTC' })).toMatchObject({ METRICS_RETENTION_DAYS: 30, METRICS_TIME_ZONE: 'UTC' });
  });

  it('when a secret is wrong, then its value is not echoed', () => {
    try {
      loadConfig({ MicrosoftAppId: 'abc', MicrosoftAppType: 'SingleTenant', MicrosoftAppPassword: 'hunter2' });
    } catch (err) {
      expect((err as Error).message).toContain('MicrosoftAppTenantId');
      expect((err as Error).message).not.toContain('hunter2');
    }
    expect.assertions(2);
  });
});
