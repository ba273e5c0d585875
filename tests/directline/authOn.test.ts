import { useApp } from '../helpers/app';
import { activities, botTexts, postText, startConversation } from './client';

describe('Direct Line with Bot Framework auth on (MicrosoftAppId set)', () => {
  // The network is closed but for loopback: a turn that needed an Entra ID token would fail here.
  const base = useApp({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-password', LOG_ID_SECRET: 'a-log-id-secret-of-32-characters!' });

  it('when the visitor asks a question, then the answer comes back in-process with no outbound call', async () => {
    const { conversationId, token } = await startConversation(base());
    const posted = await postText(base(), conversationId, token, 'what is iop');
    expect(posted.status).toBe(200);
    const log = await activities(base(), conversationId, token);
    expect(botTexts(log.body.activities)).toMatch(/admissions/i);
    expect(botTexts(log.body.activities)).toMatch(/intensive outpatient/i);
  });
});
