import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cached, cacheKey, cacheStats, jsonCodec, setCacheDir } from '../../../src/core/cache/artifactCache';
import { CrisisClassifier } from '../../../src/core/safety/classifier';
import { SoftmaxClassifier } from '../../../src/core/nlu/softmax';

describe('the artifact cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gbac-cache-'));
    setCacheDir(dir);
  });
  afterEach(() => {
    setCacheDir(undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  const build = (value: unknown) => jest.fn(() => value);

  it('when a value is asked for twice under one key, then it is built once and read back the second time', () => {
    const first = build({ words: ['iop', 'php'] });
    expect(cached('test', cacheKey('a'), jsonCodec, first)).toEqual({ words: ['iop', 'php'] });
    const second = build({ words: ['other'] });
    expect(cached('test', cacheKey('a'), jsonCodec, second)).toEqual({ words: ['iop', 'php'] });
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).not.toHaveBeenCalled();
  });

  it('when the content behind the key changes, then the value is built again', () => {
    cached('test', cacheKey('faq v1'), jsonCodec, build(1));
    const rebuilt = build(2);
    expect(cached('test', cacheKey('faq v2'), jsonCodec, rebuilt)).toBe(2);
    expect(rebuilt).toHaveBeenCalledTimes(1);
  });

  it('when a cached file is damaged, then it is rebuilt and replaced, never trusted', () => {
    cached('test', cacheKey('a'), jsonCodec, build({ ok: true }));
    const [file] = readdirSync(dir);
    const bytes = readFileSync(path.join(dir, file!));
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 2) ^ 0xff, bytes.length - 2);
    writeFileSync(path.join(dir, file!), bytes);
    const rejected = cacheStats.rejected;

    const rebuilt = build({ ok: 'rebuilt' });
    expect(cached('test', cacheKey('a'), jsonCodec, rebuilt)).toEqual({ ok: 'rebuilt' });
    expect(rebuilt).toHaveBeenCalledTimes(1);
    expect(cacheStats.rejected).toBe(rejected + 1);
    // The replacement is whole: the next look-up reads it.
    expect(cached('test', cacheKey('a'), jsonCodec, build('unused'))).toEqual({ ok: 'rebuilt' });
  });

  it('when a cached file is cut short, then it is rebuilt', () => {
    cached('test', cacheKey('a'), jsonCodec, build([1, 2, 3]));
    const [file] = readdirSync(dir);
    writeFileSync(path.join(dir, file!), readFileSync(path.join(dir, file!)).subarray(0, 20));
    expect(cached('test', cacheKey('a'), jsonCodec, build([4]))).toEqual([4]);
  });

  it('when a write succeeds, then no temporary file is left beside the cached one', () => {
    cached('test', cacheKey('a'), jsonCodec, build('x'));
    expect(readdirSync(dir).every((f) => f.endsWith('.bin'))).toBe(true);
  });

  it('when the cache directory cannot be written, then the value is still built and returned', () => {
    const blocked = path.join(dir, 'not-a-dir');
    writeFileSync(blocked, 'a file where the directory should be');
    setCacheDir(path.join(blocked, 'cache'));
    const failures = cacheStats.writeFailures;
    expect(cached('test', cacheKey('a'), jsonCodec, build('built'))).toBe('built');
    expect(cacheStats.writeFailures).toBe(failures + 1);
  });

  it('when the cache is off, then every look-up builds', () => {
    setCacheDir(null);
    const b = build('v');
    cached('test', cacheKey('a'), jsonCodec, b);
    cached('test', cacheKey('a'), jsonCodec, b);
    expect(b).toHaveBeenCalledTimes(2);
  });

  it('when keys are made of different parts with the same letters, then they differ', () => {
    expect(cacheKey('ab', 'c')).not.toBe(cacheKey('a', 'bc'));
  });
});

describe('models restored from the cache', () => {
  const examples = [
    { prepared: ' i want to end it all tonight ', label: 'suicide' as const },
    { prepared: ' he took too many pills and wont wake up ', label: 'overdose' as const },
    { prepared: ' how many days a week is the program ', label: 'none' as const },
    { prepared: ' do you take masshealth insurance ', label: 'none' as const },
  ];
  const probes = [' i want to end my life ', ' what does the program cost ', ' she is not breathing after pills '];

  it('when a crisis classifier is written and read back, then it scores every message exactly as the trained one', () => {
    const trained = new CrisisClassifier(examples, { bits: 12 });
    const restored = CrisisClassifier.fromBytes(trained.toBytes(), { bits: 12 });
    for (const p of probes) expect(restored.score(p)).toEqual(trained.score(p));
    expect(restored.meanFeatures).toBe(trained.meanFeatures);
  });

  it('when crisis classifier bytes do not fit the options, then reading them fails (and the cache retrains)', () => {
    const trained = new CrisisClassifier(examples, { bits: 12 });
    expect(() => CrisisClassifier.fromBytes(trained.toBytes(), { bits: 13 })).toThrow(/wrong size/);
  });

  it('when an intent classifier is written and read back, then its probabilities are the same', () => {
    const samples = [
      { label: 0, x: { terms: new Map([['iop', 1], ['schedul', 0.5]]) } },
      { label: 1, x: { terms: new Map([['cost', 1], ['insur', 0.7]]) } },
      { label: 1, x: { terms: new Map([['pai', 1]]) } },
    ];
    const trained = new SoftmaxClassifier(2, samples);
    const restored = SoftmaxClassifier.fromBytes(trained.toBytes());
    for (const s of samples) expect(Array.from(restored.probabilities(s.x.terms))).toEqual(Array.from(trained.probabilities(s.x.terms)));
  });
});
