/** The stand-in's multipart rules: created checksums, part numbers, upload binding, completion. */
import { completionProblem, completionTypeProblem, type ReceivedPart } from '../../../src/local/s3/rules/completion.js';
import { createUploadChecksum, partChecksumProblem, partNumberProblem, uploadBindingProblem } from '../../../src/local/s3/rules/multipart.js';

const MIN = 5;
const crc = 'AAAAAQ==';
const received = (n: number, size = MIN, etag = `"e${n}"`): [number, ReceivedPart] => [n, { size, etag, checksums: { crc32c: crc } }];
const parts = new Map([received(1), received(2), received(3, 1)]);
const listed = (n: number, checksums: Record<string, string> = { crc32c: crc }, etag = `"e${n}"`) => ({ partNumber: n, etag, checksums });
const upload = { algorithm: 'crc32c' as const, type: 'COMPOSITE' as const };
const check = (l: ReturnType<typeof listed>[], u: Parameters<typeof completionProblem>[1] = upload) => {
  const f = completionProblem('U', u, l, parts, MIN);
  return f && `${f.status} ${f.code}`;
};

describe('multipart creation and parts', () => {
  it('takes the checksum algorithm and type S3 takes, refusing what it refuses and what the stand-in cannot check', () => {
    // Act
    const got = [
      { 'x-amz-checksum-algorithm': 'CRC32C' },
      { 'x-amz-checksum-algorithm': 'sha256' },
      {},
      { 'x-amz-checksum-algorithm': 'TEST' },
      { 'x-amz-checksum-type': 'COMPOSITE' },
      { 'x-amz-checksum-algorithm': 'SHA256', 'x-amz-checksum-type': 'FULL_OBJECT' },
      { 'x-amz-checksum-algorithm': 'CRC64NVME', 'x-amz-checksum-type': 'COMPOSITE' },
      { 'x-amz-checksum-algorithm': 'CRC32C', 'x-amz-checksum-type': 'FULL_OBJECT' },
    ].map(createUploadChecksum);
    // Assert
    expect(got.slice(0, 3)).toEqual([{ algorithm: 'crc32c', type: 'COMPOSITE' }, { algorithm: 'sha256', type: 'COMPOSITE' }, {}]);
    expect(got.slice(3).map((f) => 'code' in f && `${f.status} ${f.code}`)).toEqual([
      '400 InvalidRequest',
      '400 InvalidRequest',
      '400 InvalidRequest',
      '400 InvalidRequest',
      '501 NotImplemented',
    ]);
  });

  it('binds an upload id to its bucket and key, part numbers to 1..10000, parts to the upload algorithm', () => {
    // Prepare
    const record = { bucket: 'raw', key: 'raw/a/S/data.bin', ...upload };
    // Act
    const binding = [
      uploadBindingProblem('U', record, 'raw', 'raw/a/S/data.bin'),
      uploadBindingProblem('U', record, 'raw', 'raw/a/S/_attempts/x1y2z3/data.bin'),
      uploadBindingProblem('U', record, 'lake', 'raw/a/S/data.bin'),
      uploadBindingProblem('U', undefined, 'raw', 'raw/a/S/data.bin'),
    ];
    const numbers = ['1', '10000', '0', '-1', '10001', '1.5', undefined].map(partNumberProblem);
    const sums = [
      partChecksumProblem(upload, { 'x-amz-checksum-crc32c': crc }),
      partChecksumProblem(upload, { 'x-amz-checksum-crc32': crc }),
      partChecksumProblem({}, { 'x-amz-checksum-crc32': crc }),
    ];
    // Assert
    expect(binding.map((f) => f?.code)).toEqual([undefined, 'NoSuchUpload', 'NoSuchUpload', 'NoSuchUpload']);
    expect(binding[1]).toMatchObject({ status: 404, extra: { UploadId: 'U' } });
    expect(numbers.map((f) => f?.code)).toEqual([
      undefined,
      undefined,
      'InvalidArgument',
      'InvalidArgument',
      'InvalidArgument',
      'InvalidArgument',
      'InvalidArgument',
    ]);
    expect(sums.map((f) => f?.message)).toEqual([
      undefined,
      'Checksum Type mismatch occurred, expected checksum Type: crc32c, actual checksum Type: crc32',
      undefined,
    ]);
  });
});

describe('multipart completion', () => {
  it('assembles parts listed once each, ascending, with their ETags and checksums', () => {
    // Act, Assert
    expect(check([listed(1), listed(2), listed(3)])).toBeUndefined();
    expect(check([listed(1), listed(3)])).toBeUndefined();
  });

  it('refuses an empty, descending or repeating list, an unknown part or ETag, and small middle parts', () => {
    // Act
    const got = {
      empty: check([]),
      descending: check([listed(2), listed(1)]),
      repeated: check([listed(1), ...Array.from({ length: 39 }, () => listed(1))]),
      unknown: check([listed(1), listed(4)]),
      etag: check([listed(1, undefined, '"d41d8cd98f00b204e9800998ecf8427e"')]),
      smallLastOnly: check([listed(3)]),
    };
    const tooSmall = completionProblem('U', upload, [listed(1), listed(2)], new Map([received(1, MIN - 1), received(2, 1)]), MIN);
    // Assert
    expect(got).toEqual({
      empty: '400 InvalidRequest',
      descending: '400 InvalidPartOrder',
      repeated: '400 InvalidPartOrder',
      unknown: '400 InvalidPart',
      etag: '400 InvalidPart',
      smallLastOnly: undefined,
    });
    expect(tooSmall?.code).toBe('EntityTooSmall');
  });

  it('holds the completion to the checksum algorithm and type the upload was created with', () => {
    // Act
    const got = {
      missing: check([listed(1, {})]),
      otherAlgorithm: check([listed(1, { sha256: crc })]),
      wrongValue: check([listed(1, { crc32c: 'AAAAAg==' })]),
      noAlgorithmListed: check([listed(1)], {}),
      noAlgorithmPlain: check([listed(1, {})], {}),
    };
    const types = [completionTypeProblem(upload, 'FULL_OBJECT'), completionTypeProblem(upload, 'composite'), completionTypeProblem({}, 'COMPOSITE')];
    // Assert
    expect(got).toEqual({
      missing: '400 InvalidRequest',
      otherAlgorithm: '400 BadDigest',
      wrongValue: '400 InvalidPart',
      noAlgorithmListed: '400 InvalidPart',
      noAlgorithmPlain: undefined,
    });
    expect(types.map((f) => f?.message)).toEqual([
      'The upload was created using the COMPOSITE checksum mode. The complete request must use the same checksum mode.',
      undefined,
      'The upload was created using the null checksum mode. The complete request must use the same checksum mode.',
    ]);
  });

  it('completes an upload recorded by an earlier gateway (no algorithm, no part ETags) as it was checked then', () => {
    // Prepare
    const legacy = { legacy: true as const };
    const old = new Map<number, ReceivedPart>([[1, { size: MIN, checksums: { crc32c: crc } }]]);
    // Act
    const ok = completionProblem('U', legacy, [listed(1)], old, MIN);
    const wrong = completionProblem('U', legacy, [listed(1, { crc32c: 'AAAAAg==' })], old, MIN);
    const repeated = completionProblem('U', legacy, [listed(1), listed(1)], old, MIN);
    // Assert
    expect([ok, wrong?.code, repeated?.code]).toEqual([undefined, 'InvalidPart', 'InvalidPartOrder']);
  });
});
