import { manifestKeyInfo, revisionManifestKey, sessionOfManifestKey } from '../../../src/core/layout.js';
import { needsRevision, nextRevision, revisionProblems } from '../../../src/core/session/revisions.js';
import { manifestFor } from '../backend/fixture.js';

const ref = { rig: 'rig-a', session: '20210228_161221' };

describe('revision keys', () => {
  it('puts revision 1 at the commit marker and later ones under _revisions/<n>/', () => {
    expect(revisionManifestKey(ref, 1)).toBe('raw/rig-a/20210228_161221/_manifest.json');
    expect(revisionManifestKey(ref, 12)).toBe('raw/rig-a/20210228_161221/_revisions/12/_manifest.json');
    // The S3 notification filters on the suffix '/_manifest.json' (src/infra/compute.ts): revisions pass it.
    expect(revisionManifestKey(ref, 12).endsWith('/_manifest.json')).toBe(true);
    expect(() => revisionManifestKey(ref, 0)).toThrow(/invalid session revision/);
    expect(manifestKeyInfo('raw/rig-a/20210228_161221/_revisions/12/_manifest.json')).toEqual({ ref, revision: 12 });
    // Revision 1 has one key only, and numbers are written one way only.
    for (const k of ['_revisions/1/', '_revisions/02/', '_revisions/x/', '_revisions/2/extra/'])
      expect(manifestKeyInfo(`raw/rig-a/20210228_161221/${k}_manifest.json`)).toBeUndefined();
    // Listings find each committed session once, by its first commit marker.
    expect(sessionOfManifestKey('raw/rig-a/20210228_161221/_revisions/2/_manifest.json')).toBeUndefined();
    expect(sessionOfManifestKey('raw/rig-a/20210228_161221/_manifest.json')).toEqual(ref);
  });
});

describe('next revision', () => {
  const meta = Buffer.from('fatigue: 3\n');
  it('pins changed and new files to their attempt, keeps unchanged pins, and carries over files gone from the rig', () => {
    const newest = manifestFor('rig-a', ref.session, { 'meta.txt': meta, 'a.bin': Buffer.from('a'), 'gone.bin': Buffer.from('g') });
    newest.files.find((f) => f.name === 'a.bin')!.attempt = 'first01';
    const local = manifestFor('rig-a', ref.session, { 'meta.txt': meta, 'a.bin': Buffer.from('a2'), 'b.bin': Buffer.from('b') });
    expect(needsRevision(newest, local)).toBe(true);
    const next = nextRevision(newest, local, { 'a.bin': 'second2', 'b.bin': 'second2' });
    expect(next.revision).toBe(2);
    expect(next.files.map((f) => [f.name, f.attempt])).toEqual([
      ['a.bin', 'second2'],
      ['b.bin', 'second2'],
      ['gone.bin', undefined],
      ['meta.txt', undefined],
    ]);
    expect(next.fileCount).toBe(4);
    expect(revisionProblems(newest, next)).toEqual([]);
    expect(needsRevision(next, local)).toBe(false);
  });
});
