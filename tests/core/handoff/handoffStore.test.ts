import type { NewHandoffRequest } from '../../../src/core/handoff/handoffRequest';
import { STORE_KINDS, useSharedStores } from '../../helpers/sharedStores';
import { fullRequest } from './helpers';

/** A normal request of conversation c1 on webchat, with everything a visitor may give. */
const request = (overrides: Partial<NewHandoffRequest> = {}) => fullRequest({ priority: 'normal', conversationId: 'c1', ...overrides });

describe.each(STORE_KINDS)('HandoffStore (%s): contact preferences', (kind) => {
  const instance = useSharedStores(kind);

  it('when a request carries contact preferences, then another instance reads them back as given', async () => {
    const created = await instance().handoffs.create(request({ contactPreferences: ['no-texts', 'discreet'] }));
    const read = await instance().handoffs.get(created.id);
    expect(read?.contactPreferences).toEqual(['no-texts', 'discreet']);
    expect(read).toEqual(created);
    expect((await instance().handoffs.listActive())[0]?.contactPreferences).toEqual(['no-texts', 'discreet']);
  });

  it('when a request has no contact preferences (as every request stored before them), then it loads with none', async () => {
    const created = await instance().handoffs.create(request());
    const read = await instance().handoffs.get(created.id);
    expect(read).toMatchObject({ id: created.id, name: 'Sam Rivera', status: 'open' });
    expect(read?.contactPreferences).toBeUndefined();
  });
});
