import { smsKeyword } from '../../src/core/sms/keywords';
import { SqliteOptOutStore } from '../../src/core/sms/optOuts';
import { openDatabase } from '../../src/core/storage/database';

describe('smsKeyword', () => {
  it.each(['STOP', 'stop', 'StopAll', 'UNSUBSCRIBE', 'cancel', 'END', 'quit', 'REVOKE', 'OPT OUT', 'opt-out', 'STOP ALL', ' stop. '])('when a text is %j, then it is an opt-out', (t) => {
    expect(smsKeyword(t)).toBe('stop');
  });
  it.each([['START', 'start'], ['unstop', 'start'], ['YES', 'yes'], ['HELP', 'help'], ['info', 'help']])('when a text is %j, then it is %s', (t, k) => {
    expect(smsKeyword(t)).toBe(k);
  });
  it.each([['PARAR', 'stop'], ['parar', 'stop'], ['Alto.', 'stop'], ['CANCELAR', 'stop'], ['AYUDA', 'help'], ['ayuda', 'help']])('when a Spanish text is %j, then it is %s, as its English keyword', (t, k) => {
    expect(smsKeyword(t)).toBe(k);
  });
  it.each(['para mi hijo', 'parar de tomar', 'necesito ayuda', 'alto riesgo', 'cancelar la cita'])('when the Spanish %j is more than a keyword, then it is not one', (t) => {
    expect(smsKeyword(t)).toBeNull();
  });
  it.each(['please stop texting me about iop?', 'how do i stop drinking', 'help me find a program'])('when %j is more than a keyword, then it is not one', (t) => {
    expect(smsKeyword(t)).toBeNull();
  });
});

describe('SqliteOptOutStore', () => {
  it('when a number opts out and back in, then the store follows', async () => {
    const store = new SqliteOptOutStore(openDatabase(':memory:'));
    expect(await store.isOptedOut('sms', '+16175550100')).toBe(false);
    await store.optOut('sms', '+16175550100');
    expect(await store.isOptedOut('sms', '+16175550100')).toBe(true);
    await store.optIn('sms', '+16175550100');
    expect(await store.isOptedOut('sms', '+16175550100')).toBe(false);
  });
});
