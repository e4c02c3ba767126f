/** One AWS-recorded fact, replayed against the gateway: where AWS answered it, and how to ask again. */
import type { Answer, CorpusClient } from './harness.js';

/** An entry of a LocalStack snapshot recorded against AWS (github.com/localstack/localstack). */
export interface SnapshotSource {
  file: 'test_s3.snapshot.json' | 'test_s3_api.snapshot.json' | 'test_s3_list_operations.snapshot.json';
  /** `Class::test_name[param]` as the snapshot names it. */
  test: string;
  /** The snapshot entry holding the answer. */
  entry: string;
  /**
   * Recorded against AWS, but the test is gone from test_s3.py and absent from
   * test_s3.validation.json (test_multipart_key_validation, recorded 2023-10-26).
   */
  unlisted?: true;
}

/** An answer AWS documents (no recorded test found). */
export interface DocSource {
  doc: string;
  url: string;
}

/** What a case gets: a client on the lake (plain) bucket, one on the raw (Object Lock) bucket, its own key. */
export interface Ctx {
  s3: CorpusClient;
  raw: CorpusClient;
  /** A fresh prefix for this case (`c/<id>/`), and a key under it. */
  prefix: string;
  key: string;
}

export interface CorpusCase {
  id: string;
  operation: string;
  source: SnapshotSource | DocSource;
  /** AWS's recorded answer: status and error code. */
  aws: { status: number; code?: string };
  /** Sets up what the recorded test set up, then sends the request whose answer is compared. */
  act: (c: Ctx) => Promise<Answer>;
  /** Further recorded facts of the answer (a listing's keys, a composite checksum). */
  also?: (a: Answer, c: Ctx) => Promise<void> | void;
}

export const snapshot = (file: SnapshotSource['file'], test: string, entry: string): SnapshotSource => ({ file, test, entry });

/** The source as the docs table writes it. */
export function sourceText(s: SnapshotSource | DocSource): string {
  if (!('file' in s)) return `AWS docs: ${s.doc} (${s.url})`;
  return `${s.file} › ${s.test} › ${s.entry}${s.unlisted ? ' (test since removed, not in validation.json)' : ''}`;
}

/** The answer as the docs table writes it (`400 InvalidRequest`, `404`, `200`). */
export const answerText = (a: { status: number; code?: string }) => `${a.status}${a.code ? ` ${a.code}` : ''}`;

/** The test name a case runs under (docs/aws-parity.md names it). */
export const testName = (c: CorpusCase) => `${c.id}: ${c.operation} answers ${answerText(c.aws)}`;

/** The case's row in docs/aws-parity.md, "AWS-recorded corpus". */
export function docRow(c: CorpusCase, i: number): string {
  return `| ${i + 1} | \`${c.id}\` | ${c.operation} | ${answerText(c.aws)} | ${sourceText(c.source)} | \`aws-corpus.test.ts\` › "${testName(c)}" |`;
}
