/**
 * One session state for every reader: `status`, `verify` and the web view call this pure combine
 * of what the ledger, the revisions and the last verify findings say about a session (fed by
 * src/features/state/gather-states.ts), so they can never disagree. A session whose data files were not
 * all decoded is `done_with_gaps`, never done; a held revision or a damaged object is named with
 * the next step whatever the ledger says.
 */
import type { LedgerEntry } from '../catalog/types.js';
import type { Category, Finding } from './findings.js';
import { nextStep } from './next-steps.js';

export type StateKind = 'not_processed' | 'processing' | 'retrying' | 'done' | 'done_with_gaps' | 'dead' | 'incomplete';

/** How it is shown: ok (green), pending (grey), attention (amber), failing (red). */
export type Tone = 'ok' | 'pending' | 'attention' | 'failing';

export interface StateReason {
  /** Where it was found. */
  source: 'processing' | 'revisions' | 'verify';
  category?: Category;
  message: string;
  /** The next step: a command, or what a person decides. */
  next?: string;
}

export interface SessionStateInput {
  sessionId: string;
  /** Its ledger entry for the configured pipeline version, when processing has started. */
  ledger?: Pick<LedgerEntry, 'state' | 'attempts' | 'last_error' | 'undecoded' | 'dropped' | 'lease_expires_at' | 'updated_at' | 'integrity'>;
  /** Its revisions, when it has more than one. */
  revisions?: { served: number; newest: number; held: number[] };
  /** The last verify's findings about it, and when that verify ran. */
  findings?: Finding[];
  checkedAt?: string;
  /** Content warnings it was archived with (one line each). */
  warnings?: string[];
  now: number;
}

export interface SessionState {
  sessionId: string;
  kind: StateKind;
  /** The state in words: `done with gaps`, `dead after 3 attempts`. */
  label: string;
  tone: Tone;
  /** Problems, most serious first, each with its next step. */
  reasons: StateReason[];
  warnings: string[];
  revisions?: { served: number; newest: number; held: number[] };
  /** The integrity flag: files whose stored bytes processing found to differ from the manifest (never registered). */
  integrity?: string[];
  /** When the verify findings were found. */
  checkedAt?: string;
}

/** Findings that mean stored bytes are missing or wrong, or the session cannot be processed. */
const FAILING: ReadonlySet<Category> = new Set([
  'raw_missing',
  'raw_size_mismatch',
  'raw_checksum_mismatch',
  'output_missing',
  'output_differs',
  'incomplete',
  'dead_letter',
  'stuck_running',
  'local_content_differs',
  'damaged_record',
]);
/** Findings the ledger and the revisions already state (not repeated). */
const STATED: ReadonlySet<Category> = new Set(['dead_letter', 'incomplete', 'not_decoded', 'revision_held']);

function kindOf(l: SessionStateInput['ledger']): StateKind {
  if (!l || l.state === 'pending') return 'not_processed';
  if (l.state === 'running') return 'processing';
  if (l.state === 'failed') return 'retrying';
  return l.state;
}

const LABEL: Record<StateKind, (l: SessionStateInput['ledger']) => string> = {
  not_processed: () => 'not processed yet',
  processing: () => 'processing',
  retrying: (l) => `failed, retrying (attempt ${l?.attempts ?? 1} of 3)`,
  done: () => 'done',
  done_with_gaps: () => 'done with gaps',
  dead: (l) => `dead after ${l?.attempts ?? 3} attempts`,
  incomplete: () => 'incomplete: raw data does not match its manifest',
};

/** The combined state of one session. */
export function sessionState(i: SessionStateInput): SessionState {
  const l = i.ledger;
  const kind = kindOf(l);
  const reasons: StateReason[] = [];
  const id = i.sessionId;
  if (kind === 'dead')
    reasons.push({
      source: 'processing',
      category: 'dead_letter',
      message: `processing failed ${l?.attempts ?? 3} times: ${l?.last_error ?? 'no error recorded'}`,
      next: nextStep({ category: 'dead_letter', sessionId: id }),
    });
  if (kind === 'incomplete')
    reasons.push({
      source: 'processing',
      category: 'incomplete',
      message: l?.last_error ?? 'raw data does not match the manifest',
      next: nextStep({ category: 'incomplete', sessionId: id }),
    });
  if (kind === 'retrying')
    reasons.push({ source: 'processing', message: `attempt ${l?.attempts ?? 1} failed: ${l?.last_error ?? '?'}; it is retried automatically` });
  if (kind === 'done_with_gaps') {
    const why = (f: string) => l?.dropped?.find((d) => d.file === f)?.reason ?? 'not decoded';
    reasons.push({
      source: 'processing',
      category: 'not_decoded',
      message: `${(l?.undecoded ?? []).map((f) => `${f} was not decoded (${why(f)})`).join('; ')}`,
      next: nextStep({ category: 'not_decoded', sessionId: id }),
    });
  }
  if (kind === 'processing' && l?.lease_expires_at && Date.parse(l.lease_expires_at) < i.now)
    reasons.push({
      source: 'processing',
      category: 'stuck_running',
      message: `its worker stopped renewing the lease at ${l.lease_expires_at}`,
      next: nextStep({ category: 'stuck_running', sessionId: id }),
    });
  for (const h of i.revisions?.held ?? [])
    reasons.push({
      source: 'revisions',
      category: 'revision_held',
      message: `revision ${h} changes archived bytes and is held for review; revision ${i.revisions!.served} is served`,
      next: nextStep({ category: 'revision_held', sessionId: id }),
    });
  for (const f of i.findings ?? [])
    if (!STATED.has(f.category) && !reasons.some((r) => r.category === f.category && r.source === 'processing'))
      reasons.push({ source: 'verify', category: f.category, message: `${f.key ? `${f.key}: ` : ''}${f.message}`, next: f.next ?? nextStep(f) });
  const failing = kind === 'dead' || kind === 'incomplete' || reasons.some((r) => r.category !== undefined && FAILING.has(r.category));
  const tone: Tone = failing ? 'failing' : reasons.length > 0 || kind === 'done_with_gaps' ? 'attention' : kind === 'done' ? 'ok' : 'pending';
  reasons.sort((a, b) => rank(b) - rank(a));
  return {
    sessionId: id,
    kind,
    label: LABEL[kind](l),
    tone,
    reasons,
    warnings: i.warnings ?? [],
    ...(i.revisions ? { revisions: i.revisions } : {}),
    ...(kind === 'incomplete' && l?.integrity?.length ? { integrity: l.integrity.map((f) => f.file) } : {}),
    ...(i.checkedAt && (i.findings ?? []).length ? { checkedAt: i.checkedAt } : {}),
  };
}

const rank = (r: StateReason) => (r.category && FAILING.has(r.category) ? 2 : r.category ? 1 : 0);

/** Sessions by kind, plus how many hold a revision for review and how many need a look. */
export function stateCounts(states: SessionState[]): Record<StateKind, number> & { held: number; attention: number; failing: number } {
  const counts = { not_processed: 0, processing: 0, retrying: 0, done: 0, done_with_gaps: 0, dead: 0, incomplete: 0, held: 0, attention: 0, failing: 0 };
  for (const s of states) {
    counts[s.kind]++;
    if ((s.revisions?.held.length ?? 0) > 0) counts.held++;
    if (s.tone === 'attention') counts.attention++;
    if (s.tone === 'failing') counts.failing++;
  }
  return counts;
}
