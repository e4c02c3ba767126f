/**
 * File names are capped so that no key recpipe builds is one its stores fail on: S3 stops at
 * 1,024 bytes, the local stack's store at a 233-byte last segment (src/local/s3/rules/key.ts).
 */
import { processedFileKey, rawFileKey } from '../../../src/core/layout.js';
import { fileNameLengthProblem, fileNameProblem, MAX_FILE_NAME_BYTES } from '../../../src/core/names.js';
import { keyProblem } from '../../../src/local/s3/rules/key.js';

const LINUX_NAME_MAX = { nameMax: 255 };

describe('file name length', () => {
  it('accepts names up to 233 UTF-8 bytes and names the limit above it', () => {
    // Act
    const longest = fileNameProblem('x'.repeat(MAX_FILE_NAME_BYTES));
    const over = fileNameProblem('x'.repeat(MAX_FILE_NAME_BYTES + 1));
    const multiByte = fileNameLengthProblem('é'.repeat(117));
    // Assert
    expect(MAX_FILE_NAME_BYTES).toBe(233);
    expect(longest).toBeUndefined();
    expect(over).toBe('is 234 bytes long, over the 233-byte limit');
    expect(multiByte).toBe('is 234 bytes long, over the 233-byte limit');
  });

  it('keeps the longest raw and processed keys recpipe builds storable on S3 and on the local stack', () => {
    // Prepare: the longest rig name, attempt id, pipeline and version the layout accepts
    const ref = { rig: 'r'.repeat(63), session: '20210228_161221' };
    const file = 'f'.repeat(MAX_FILE_NAME_BYTES);
    // Act
    const keys = [rawFileKey(ref, file, 'a'.repeat(32)), processedFileKey(ref, 'p'.repeat(63), 'v'.repeat(63), file)];
    // Assert
    expect(keys.map((k) => Buffer.byteLength(k) <= 1024)).toEqual([true, true]);
    expect(keys.map((k) => keyProblem(k, LINUX_NAME_MAX))).toEqual([undefined, undefined]);
    expect(keyProblem(rawFileKey(ref, 'f'.repeat(MAX_FILE_NAME_BYTES - 1)) + 'ff', LINUX_NAME_MAX)?.code).toBe('KeyTooLongError');
  });
});
