import { decisionKey, decisionKeyInfo } from '../../../src/core/layout.js';
import { manifestEventSession } from '../../../src/features/process/handle-event.js';
import { DECISION_SCHEMA, parseDecision, type Decision } from '../../../src/core/session/decision.js';
import { resolveRevisions, type RevisionInput } from '../../../src/core/session/served-revision.js';
import { manifestFor } from '../backend/fixture.js';

const ref = { rig: 'rig-a', session: '20210228_161221' };
const id = 'rig-a/20210228_161221';
const meta = Buffer.from('fatigue: 3\n');
const rev = (revision: number, files: Record<string, Buffer>, variables?: Parameters<typeof manifestFor>[3]): RevisionInput => ({
  revision,
  manifest: { ...manifestFor(ref.rig, ref.session, { 'meta.txt': meta, ...files }, variables), ...(revision > 1 ? { revision } : {}) },
  sha256: String(revision).repeat(64).slice(0, 64),
});
const decide = (revision: number, decision: 'accept' | 'reject', sha = String(revision).repeat(64).slice(0, 64)): [number, Decision] => [
  revision,
  { schema: DECISION_SCHEMA, sessionId: id, revision, decision, manifestSha256: sha, by: 'ann@lab', at: '2026-03-02T10:00:00.000Z' },
];

const shaOf = (r: RevisionInput, name: string) => r.manifest.files.find((f) => f.name === name)!.sha256;
const r1 = rev(1, { 'a.bin': Buffer.from('aaaa') });
const addsFile = rev(2, { 'a.bin': Buffer.from('aaaa'), 'b.bin': Buffer.from('bb') });
const flipsByte = rev(2, { 'a.bin': Buffer.from('aaab') });

describe('which revision is served', () => {
  it('serves a revision that only adds files, automatically', () => {
    const s = resolveRevisions(id, [r1, addsFile], new Map(), 'additive');
    expect([s.served, s.held]).toEqual([2, []]);
    expect(s.revisions[1]).toMatchObject({ status: 'auto_accepted', changed: [], added: ['b.bin'], comparedWith: 1 });
  });

  it('holds a revision that changes archived bytes, naming both hashes, until a person accepts it', () => {
    const held = resolveRevisions(id, [r1, flipsByte], new Map(), 'additive');
    expect([held.served, held.held]).toEqual([1, [2]]);
    expect(held.revisions[1].changed).toEqual([
      { name: 'a.bin', before: { size: 4, sha256: shaOf(r1, 'a.bin') }, after: { size: 4, sha256: shaOf(flipsByte, 'a.bin') } },
    ]);
    expect(resolveRevisions(id, [r1, flipsByte], new Map([decide(2, 'accept')]), 'additive')).toMatchObject({ served: 2, held: [] });
    expect(resolveRevisions(id, [r1, flipsByte], new Map([decide(2, 'reject')]), 'additive')).toMatchObject({ served: 1, held: [] });
  });

  it("accepts changed bytes when the lab's policy says all", () => {
    expect(resolveRevisions(id, [r1, flipsByte], new Map(), 'all')).toMatchObject({ served: 2, held: [] });
  });

  it('ignores a decision about other manifest bytes', () => {
    expect(resolveRevisions(id, [r1, flipsByte], new Map([decide(2, 'accept', 'f'.repeat(64))]), 'additive').held).toEqual([2]);
  });

  it('compares each revision with the served one: an addition after a held change stays held, and accepting the change serves both', () => {
    const r3 = rev(3, { 'a.bin': Buffer.from('aaab'), 'c.bin': Buffer.from('c') });
    expect(resolveRevisions(id, [r1, flipsByte, r3], new Map(), 'additive')).toMatchObject({ served: 1, held: [2, 3] });
    const accepted = resolveRevisions(id, [r1, flipsByte, r3], new Map([decide(2, 'accept')]), 'additive');
    expect([accepted.served, accepted.held, accepted.revisions[2].status]).toEqual([3, [], 'auto_accepted']);
    // Accepting the later one leaves nothing to decide on the earlier.
    const later = resolveRevisions(id, [r1, flipsByte, r3], new Map([decide(3, 'accept')]), 'additive');
    expect([later.served, later.held, later.revisions[1].status]).toEqual([3, [], 'superseded']);
  });

  it('holds a revision whose metadata variables change', () => {
    const vars = rev(2, { 'a.bin': Buffer.from('aaaa') }, { numeric: { fatigue: 4 }, text: { hardware_model: 'X' } });
    expect(resolveRevisions(id, [r1, vars], new Map(), 'additive').revisions[1]).toMatchObject({ status: 'held', variablesChanged: true });
  });
});

describe('decision objects', () => {
  it('live outside raw/ at one key per revision, and are read back only when they name their key', () => {
    expect(decisionKey(ref, 2)).toBe('decisions/rig-a/20210228_161221/2.json');
    expect(decisionKeyInfo('decisions/rig-a/20210228_161221/2.json')).toEqual({ ref, revision: 2 });
    for (const k of ['decisions/rig-a/20210228_161221/1.json', 'decisions/rig-a/20210228_161221/02.json', 'raw/rig-a/20210228_161221/2.json'])
      expect(decisionKeyInfo(k)).toBeUndefined();
    expect(() => decisionKey(ref, 1)).toThrow(/only revisions 2 and up/);
    // A decision's arrival starts processing of its session (the served revision may change).
    expect(manifestEventSession({ key: 'decisions/rig-a/20210228%5F161221/2.json' })).toEqual(ref);
    const [, d] = decide(2, 'accept');
    expect(parseDecision(JSON.stringify(d), { sessionId: id, revision: 2 })).toEqual(d);
    expect(parseDecision(JSON.stringify(d), { sessionId: id, revision: 3 })).toEqual({ problem: expect.stringMatching(/not its key's/) });
    expect(parseDecision(JSON.stringify({ ...d, decision: 'maybe' }), { sessionId: id, revision: 2 })).toEqual({ problem: expect.stringMatching(/maybe/) });
  });

  it('names the field of a decision mistyped elsewhere, and refuses JSON that is no object instead of crashing', () => {
    const [, d] = decide(2, 'accept');
    expect(parseDecision(JSON.stringify({ ...d, by: 7 }), { sessionId: id, revision: 2 })).toEqual({ problem: 'cannot be read: by must be a string (got 7)' });
    expect(parseDecision('null', { sessionId: id, revision: 2 })).toEqual({ problem: 'is not a JSON object' });
  });
});
