import fc from 'fast-check';
import {
  catalogFilesKey,
  catalogSessionKey,
  decodeEventKey,
  ledgerKey,
  manifestKey,
  parseSessionId,
  processedFileKey,
  rawFileKey,
  rawKeySessionId,
  sessionOfManifestKey,
  sessionPartOf,
  splitSessionId,
} from '../../../src/core/layout.js';
import { fileNameProblem } from '../../../src/core/names.js';

const ref = { rig: 'rig-01', session: '20210228_161221' };

describe('storage layout', () => {
  it('builds the documented keys', () => {
    expect(rawFileKey(ref, 'data 1.bin')).toBe('raw/rig-01/20210228_161221/data 1.bin');
    expect(manifestKey(ref)).toBe('raw/rig-01/20210228_161221/_manifest.json');
    expect(catalogSessionKey(ref)).toBe('catalog/sessions/dt=2021-02-28/rig-01__20210228_161221.json');
    expect(catalogFilesKey(ref, 'default', '1')).toBe('catalog/files/dt=2021-02-28/rig-01__20210228_161221__default__1.json');
    expect(ledgerKey(ref, 'default', '1')).toBe('catalog/ledger/default/1/rig-01__20210228_161221.json');
    expect(processedFileKey(ref, 'default', '1', 'a.npy')).toBe('processed/default/1/rig-01/20210228_161221/a.npy');
  });

  it('refuses names that would escape their prefix', () => {
    for (const bad of ['..', '.', 'a/b', 'a\\b', 'x\u0000', 'tab\there', 'x'.repeat(256), '_manifest.json', '']) {
      expect(() => rawFileKey(ref, bad)).toThrow(/invalid file name/);
    }
    expect(() => rawFileKey({ rig: '../etc', session: ref.session }, 'a')).toThrow(/invalid rig name/);
    expect(() => rawFileKey({ rig: 'rig-01', session: '20210229_161221' }, 'a')).toThrow(/2021-02-29 is not a date/);
    expect(() => parseSessionId('rig-01/20210228_161221/x')).toThrow(/invalid session id/);
  });

  it('never yields a key outside the session prefix for any accepted name', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (name) => {
        if (fileNameProblem(name)) return;
        const key = rawFileKey(ref, name);
        expect(key.startsWith('raw/rig-01/20210228_161221/')).toBe(true);
        expect(key.slice('raw/rig-01/20210228_161221/'.length)).toBe(name);
      }),
    );
  });

  it('recognises manifest keys only, after S3-style decoding', () => {
    expect(sessionOfManifestKey('raw/rig-01/20210228_161221/_manifest.json')).toEqual(ref);
    expect(sessionOfManifestKey('raw/rig-01/20210228_161221/data.bin')).toBeUndefined();
    expect(sessionOfManifestKey('raw/rig-01/20210229_161221/_manifest.json')).toBeUndefined();
    expect(sessionOfManifestKey('raw/Rig/20210228_161221/_manifest.json')).toBeUndefined();
    expect(decodeEventKey('raw/rig-01/a+b%2Bc%20d.bin')).toBe('raw/rig-01/a b+c d.bin');
  });
});

describe('session id splitting (the one place)', () => {
  it.each([
    ['rig-a/20210101_000000', { rig: 'rig-a', session: '20210101_000000' }],
    ['rig-a/20210101_000000/x', undefined],
    ['rig-a', undefined],
    ['/20210101_000000', undefined],
    ['rig-a/', undefined],
  ])('splitSessionId(%j)', (id, want) => {
    expect(splitSessionId(id)).toEqual(want);
  });

  it('takes the session part of an id and the session id of a raw key', () => {
    expect(sessionPartOf('rig-a/20210101_000000')).toBe('20210101_000000');
    expect(sessionPartOf('rig-a')).toBe('');
    expect(rawKeySessionId('raw/rig-a/20210101_000000/data_00.bin')).toBe('rig-a/20210101_000000');
  });
});
