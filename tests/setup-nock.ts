import nock from 'nock';

// Each test file gets its own copy of nock (jest's module registry), but they all
// patch Node's one http module. Unpatch at the end of every file, so a later file
// in the same worker never meets an earlier file's interceptors or net-connect rules.
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
