/** Every AWS-recorded case, in the order docs/aws-parity.md lists them. */
import type { CorpusCase } from './case.js';
import { COMPLETE_CHECKSUM_CASES } from './cases-complete-checksums.js';
import { COMPLETE_CASES } from './cases-complete.js';
import { LIST_CASES } from './cases-list.js';
import { MULTIPART_CASES } from './cases-multipart.js';
import { PUT_CASES } from './cases-put.js';
import { READ_CASES } from './cases-read.js';

export const CASES: readonly CorpusCase[] = [...PUT_CASES, ...MULTIPART_CASES, ...COMPLETE_CHECKSUM_CASES, ...COMPLETE_CASES, ...READ_CASES, ...LIST_CASES];
