import type { App } from '../../src/app';
import { CHANNEL_KEY } from '../../src/channels/teamsAlerts';
import { loadConfig } from '../../src/config';
import { warnIfAuthOffInProduction } from '../../src/http/authOff';
import { activities, botTexts, postText, startConversation } from '../directline/client';
import { activity, post, startApp } from '../helpers/app';

const TEAM = { id: '19:admissions-general@thread.tacv2', name: 'Admissions', aadGroupId: 'group-admissions' };
const BOT = { id: '28:gbac-bot', name: 'GBAC' };

/** What Teams sends when the bot is added to (or removed from) a team; forged here, with auth off. */
const teamEvent = (overrides: Record<string, unknown>) =>
  activity({
    type: 'conversationUpdate',
    channelId: 'msteams',
    from: { id: '29:someone' },
    recipient: BOT,
    membersAdded: [{ id: BOT.id }],
    conversation: { id: TEAM.id, isGroup: true, conversationType: 'channel' },
    channelData: { eventType: 'teamMemberAdded', team: TEAM },
    ...overrides,
  });

describe('/api/messages with auth off does not trust what an activity claims to be', () => {
  let app: App;
  let url = '';
  beforeAll(async () => {
    ({ app, url } = await startApp({ TEAMS_ALERTS: 'true' }));
  });
  afterAll(() => app.close());

  it('when a request names channelId directline and a live Direct Line conversation, then it is refused with 403 and nothing reaches the bot', async () => {
    const { conversationId, token } = await startConversation(url);
    const stateKey = `directline/conversations/${conversationId}`;
    const before = app.stores.storage.readJson?.(stateKey)?.json;
    for (const channelId of ['directline', 'DirectLine', ' directline ']) {
      const res = await post(url, activity({ channelId, text: 'talk to a person zork', conversation: { id: conversationId }, from: { id: 'dl_someone' } }));
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: expect.stringMatching(/directline/i) });
      expect(res.activities).toEqual([]);
    }
    expect(app.stores.storage.readJson?.(stateKey)?.json).toBe(before);
    const log = await activities(url, conversationId, token);
    expect(JSON.stringify(log.body)).not.toContain('zork');
  });

  it('when the visitor uses the Direct Line endpoint itself, then the bridge still delivers (it never goes over /api/messages)', async () => {
    const { conversationId, token } = await startConversation(url);
    expect((await postText(url, conversationId, token, 'what is iop')).status).toBe(200);
    expect(botTexts((await activities(url, conversationId, token)).body.activities)).toMatch(/intensive outpatient/i);
  });

  it('when a Teams team install or removal is forged, then it is refused with 403 and the alert channel is not touched', async () => {
    const added = await post(url, teamEvent({}));
    expect(added.status).toBe(403);
    expect(added.body).toEqual({ error: expect.stringMatching(/auth/i) });
    const installed = await post(url, teamEvent({ type: 'installationUpdate', action: 'add', membersAdded: undefined }));
    expect(installed.status).toBe(403);
    expect((await app.stores.storage.read([CHANNEL_KEY]))[CHANNEL_KEY]).toBeUndefined();

    await app.stores.storage.write({ [CHANNEL_KEY]: { teamId: TEAM.id, reference: { conversation: { id: TEAM.id } }, at: new Date().toISOString() } });
    const removed = await post(url, teamEvent({ membersAdded: undefined, membersRemoved: [{ id: BOT.id }], channelData: { eventType: 'teamMemberRemoved', team: TEAM } }));
    expect(removed.status).toBe(403);
    expect((await app.stores.storage.read([CHANNEL_KEY]))[CHANNEL_KEY]).toMatchObject({ teamId: TEAM.id });
  });

  it('when a Teams personal chat starts (no team, as npm run chat sends it), then it is still welcomed', async () => {
    const res = await post(url, activity({ type: 'conversationUpdate', channelId: 'msteams', membersAdded: [{ id: 'visitor-1' }], conversation: { id: 'teams-personal-1' } }));
    expect(res.status).toBe(200);
    expect(res.activities.length).toBeGreaterThan(0);
  });
});

describe('the start-up warning about auth', () => {
  const warnings = (env: Record<string, string>, nodeEnv: string | undefined) => {
    const said: unknown[] = [];
    warnIfAuthOffInProduction(loadConfig(env), { warn: (...args: unknown[]) => said.push(args) } as never, nodeEnv);
    return said;
  };

  it('when auth is off and NODE_ENV is production, then start-up warns once', () => {
    expect(warnings({}, 'production')).toHaveLength(1);
  });

  it('when auth is on, or the environment is not production, then it says nothing', () => {
    expect(warnings({ MicrosoftAppId: 'abc', MicrosoftAppPassword: 'pw', LOG_ID_SECRET: 'a-log-id-secret-of-32-characters!' }, 'production')).toEqual([]);
    expect(warnings({}, 'development')).toEqual([]);
    expect(warnings({}, undefined)).toEqual([]);
  });
});
