import { PgDatabase } from '../../../../src/core/storage/postgres/pgDatabase';
import { PgOptOutStore } from '../../../../src/core/storage/postgres/pgOptOutStore';
import { usePgSchema } from '../../../helpers/pg';

const schema = usePgSchema('optout');
let dbs: PgDatabase[] = [];

function instance(): PgOptOutStore {
  const db = new PgDatabase(schema().url);
  dbs.push(db);
  return new PgOptOutStore(db);
}

afterEach(async () => {
  await Promise.all(dbs.map((d) => d.close()));
  dbs = [];
});

describe('PgOptOutStore', () => {
  it('when a number texts STOP to one instance, then every other instance knows at once, and START there undoes it everywhere', async () => {
    const a = instance();
    const b = instance();
    expect(await b.isOptedOut('sms', '+16175550101')).toBe(false);
    await a.optOut('sms', '+16175550101');
    expect(await b.isOptedOut('sms', '+16175550101')).toBe(true);
    await a.optOut('sms', '+16175550101'); // a second STOP is harmless
    await b.optIn('sms', '+16175550101');
    expect(await a.isOptedOut('sms', '+16175550101')).toBe(false);
  });

  it('when one number opts out, then other numbers and channels are unaffected, also after a restart', async () => {
    await instance().optOut('sms', '+16175550102');
    const later = instance();
    expect(await later.isOptedOut('sms', '+16175550102')).toBe(true);
    expect(await later.isOptedOut('sms', '+16175550103')).toBe(false);
    expect(await later.isOptedOut('twilio', '+16175550102')).toBe(false);
  });
});
