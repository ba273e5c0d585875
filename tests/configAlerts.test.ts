import { loadConfig } from '../src/config';

describe('staff alert settings', () => {
  it('when nothing is set, then both alerts are off', () => {
    const c = loadConfig({});
    expect(c.HANDOFF_WEBHOOK_URL).toBeUndefined();
    expect(c.TEAMS_ALERTS).toBe(false);
    expect(c.HANDOFF_WEBHOOK_MAX_ATTEMPTS).toBe(8);
  });

  it.each([
    [{ HANDOFF_WEBHOOK_URL: 'ftp://hooks.example.org' }, /^Configuration error: HANDOFF_WEBHOOK_URL must be an http or https URL/],
    [{ HANDOFF_WEBHOOK_URL: 'https://hooks.example.org/x' }, /^Configuration error: HANDOFF_WEBHOOK_SECRET is required when HANDOFF_WEBHOOK_URL is set$/],
    [{ HANDOFF_WEBHOOK_URL: 'https://hooks.example.org/x', HANDOFF_WEBHOOK_SECRET: 'short' }, /^Configuration error: HANDOFF_WEBHOOK_SECRET must be at least 16 characters$/],
    [{ HANDOFF_WEBHOOK_MAX_ATTEMPTS: '0' }, /^Configuration error: HANDOFF_WEBHOOK_MAX_ATTEMPTS must be a whole number from 1 to 20/],
    [{ TEAMS_ALERTS: 'sometimes' }, /^Configuration error: TEAMS_ALERTS must be true or false/],
    [{ PUBLIC_BASE_URL: 'bot.example.org' }, /^Configuration error: PUBLIC_BASE_URL must be an http or https URL/],
  ])('when %j is set, then start-up stops with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('when the secret is wrong, then the error never shows it', () => {
    expect(() => loadConfig({ HANDOFF_WEBHOOK_URL: 'https://hooks.example.org/x', HANDOFF_WEBHOOK_SECRET: 'tooshort' })).toThrow(/^(?!.*tooshort)/);
  });

  it('when the webhook and Teams are configured, then the values are read and the public address loses its trailing slash', () => {
    const c = loadConfig({
      HANDOFF_WEBHOOK_URL: 'https://hooks.example.org/gbac',
      HANDOFF_WEBHOOK_SECRET: '0123456789abcdef',
      HANDOFF_WEBHOOK_MAX_ATTEMPTS: '5',
      TEAMS_ALERTS: 'true',
      TEAMS_ADMISSIONS_TEAM_ID: 'group-1',
      PUBLIC_BASE_URL: 'https://bot.example.org/',
    });
    expect(c).toMatchObject({ HANDOFF_WEBHOOK_MAX_ATTEMPTS: 5, TEAMS_ALERTS: true, TEAMS_ADMISSIONS_TEAM_ID: 'group-1', PUBLIC_BASE_URL: 'https://bot.example.org' });
  });
});
