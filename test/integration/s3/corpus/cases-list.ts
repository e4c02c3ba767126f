/**
 * ListObjectsV2 and ListMultipartUploads. The recorded tests listed a bucket of their own; here
 * each case lists its own prefix (`c/<id>/`), which keeps the keys' order and paging the same.
 */
import { snapshot, type Ctx, type CorpusCase } from './case.js';
import { steps, type Answer } from './harness.js';

const LIST = 'test_s3_list_operations.snapshot.json';
const V2 = 'TestS3ListObjectsV2';

const seed = async ({ s3, prefix }: Ctx, keys: string[]) => {
  for (const k of keys) await steps.put(s3, prefix + k, 'content 123');
};
const list = ({ s3 }: Ctx, query: Record<string, string>) => s3.send({ method: 'GET', key: '', query: { 'list-type': '2', ...query } });
const field = (a: Answer, tag: string) => [...a.body.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]);
/** Keys, common prefixes, KeyCount and IsTruncated of a listing, with the case's prefix taken off. */
const page = (a: Answer, prefix: string) => ({
  keys: field(a, 'Key').map((k) => k.slice(prefix.length)),
  prefixes: [...a.body.matchAll(/<CommonPrefixes><Prefix>([^<]*)<\/Prefix>/g)].map((m) => m[1].slice(prefix.length)),
  keyCount: Number(field(a, 'KeyCount')[0]),
  truncated: field(a, 'IsTruncated')[0] === 'true',
});
const TREE = ['test/foo/bar/123', 'test/foo/bar/456', 'test/bar/foo/123'];
const TWELVE = Array.from({ length: 12 }, (_, i) => `test_${i}`);
const FOLDER = ['folder/aSubfolder/subFile1', 'folder/aSubfolder/subFile2', 'folder/file1', 'folder/file2'];

export const LIST_CASES: CorpusCase[] = [
  {
    id: 'list-prefix',
    operation: 'ListObjectsV2',
    source: snapshot(LIST, `${V2}::test_list_objects_v2_with_prefix`, 'list-objects-v2-2'),
    aws: { status: 200 },
    act: async (c) => (await seed(c, TREE), list(c, { prefix: c.prefix + 'test/foo' })),
    also: (a, c) => expect(page(a, c.prefix)).toEqual({ keys: ['test/foo/bar/123', 'test/foo/bar/456'], prefixes: [], keyCount: 2, truncated: false }),
  },
  {
    id: 'list-prefix-delimiter',
    operation: 'ListObjectsV2',
    source: snapshot(LIST, `${V2}::test_list_objects_v2_with_prefix_and_delimiter`, 'list-objects-v2-1'),
    aws: { status: 200 },
    act: async (c) => (await seed(c, TREE), list(c, { prefix: c.prefix + 'test/', delimiter: '/' })),
    also: (a, c) => expect(page(a, c.prefix)).toEqual({ keys: [], prefixes: ['test/bar/', 'test/foo/'], keyCount: 2, truncated: false }),
  },
  {
    id: 'list-prefix-delimiter-one-key',
    operation: 'ListObjectsV2',
    source: snapshot(LIST, `${V2}::test_list_objects_v2_with_prefix_and_delimiter`, 'list-objects-v2-1-with-max-keys'),
    aws: { status: 200 },
    act: async (c) => (await seed(c, TREE), list(c, { prefix: c.prefix + 'test/', delimiter: '/', 'max-keys': '1' })),
    also: (a, c) => {
      expect(page(a, c.prefix)).toEqual({ keys: [], prefixes: ['test/bar/'], keyCount: 1, truncated: true });
      expect(field(a, 'NextContinuationToken')).toHaveLength(1);
    },
  },
  {
    id: 'list-max-keys-then-token',
    operation: 'ListObjectsV2',
    source: snapshot(LIST, `${V2}::test_list_objects_v2_continuation_start_after`, 'list-objects-v2-rest'),
    aws: { status: 200 },
    act: async (c) => {
      await seed(c, TWELVE);
      const first = await list(c, { prefix: c.prefix, 'max-keys': '5' });
      expect(page(first, c.prefix)).toEqual({ keys: ['test_0', 'test_1', 'test_10', 'test_11', 'test_2'], prefixes: [], keyCount: 5, truncated: true });
      return list(c, { prefix: c.prefix, 'continuation-token': field(first, 'NextContinuationToken')[0] });
    },
    also: (a, c) =>
      expect(page(a, c.prefix)).toEqual({
        keys: ['test_3', 'test_4', 'test_5', 'test_6', 'test_7', 'test_8', 'test_9'],
        prefixes: [],
        keyCount: 7,
        truncated: false,
      }),
  },
  {
    id: 'list-start-after',
    operation: 'ListObjectsV2',
    source: snapshot(LIST, `${V2}::test_list_objects_v2_continuation_start_after`, 'list-objects-start-after'),
    aws: { status: 200 },
    act: async (c) => (await seed(c, TWELVE), list(c, { prefix: c.prefix, 'start-after': c.prefix + 'test_7', 'max-keys': '2' })),
    also: (a, c) => expect(page(a, c.prefix)).toEqual({ keys: ['test_8', 'test_9'], prefixes: [], keyCount: 2, truncated: false }),
  },
  {
    id: 'list-empty-continuation-token',
    operation: 'ListObjectsV2',
    source: snapshot(LIST, `${V2}::test_list_objects_v2_continuation_start_after`, 'exc-continuation-token'),
    aws: { status: 400, code: 'InvalidArgument' },
    act: (c) => list(c, { prefix: c.prefix, 'continuation-token': '' }),
  },
  {
    id: 'list-common-prefix-pages',
    operation: 'ListObjectsV2',
    source: snapshot(LIST, `${V2}::test_list_objects_v2_continuation_common_prefixes`, 'list-objects-v2-end'),
    aws: { status: 200 },
    act: async (c) => {
      await seed(c, FOLDER);
      const q = { prefix: c.prefix + 'folder/', delimiter: '/', 'max-keys': '1' };
      const start = await list(c, q);
      expect(page(start, c.prefix)).toEqual({ keys: [], prefixes: ['folder/aSubfolder/'], keyCount: 1, truncated: true });
      const next = await list(c, { ...q, 'continuation-token': field(start, 'NextContinuationToken')[0] });
      expect(page(next, c.prefix)).toEqual({ keys: ['folder/file1'], prefixes: [], keyCount: 1, truncated: true });
      return list(c, { ...q, 'continuation-token': field(next, 'NextContinuationToken')[0] });
    },
    also: (a, c) => {
      expect(page(a, c.prefix)).toEqual({ keys: ['folder/file2'], prefixes: [], keyCount: 1, truncated: false });
      expect(field(a, 'NextContinuationToken')).toEqual([]);
    },
  },
  {
    id: 'list-encoding-type-unknown',
    operation: 'ListObjectsV2',
    source: snapshot(LIST, `${V2}::test_list_ops_encoding_type_validation[list_objects_v2]`, 'list_objects_v2-error-wrong-value'),
    aws: { status: 400, code: 'InvalidArgument' },
    act: (c) => list(c, { 'encoding-type': 'value' }),
  },
  {
    id: 'list-encoding-type-empty',
    operation: 'ListObjectsV2',
    source: snapshot(LIST, `${V2}::test_list_ops_encoding_type_validation[list_objects_v2]`, 'list_objects_v2-error-empty-value'),
    aws: { status: 400, code: 'InvalidArgument' },
    act: (c) => list(c, { 'encoding-type': '' }),
  },
  {
    id: 'list-encoding-type-url',
    operation: 'ListObjectsV2',
    source: snapshot(LIST, `${V2}::test_list_objects_v2_with_prefix`, 'list-objects-v2-1'),
    aws: { status: 200 },
    act: async (c) => (await seed(c, TREE), list(c, { prefix: c.prefix + 'test/', 'encoding-type': 'url' })),
    also: (a, c) => {
      expect(field(a, 'EncodingType')).toEqual(['url']);
      expect(page(a, c.prefix).keys).toEqual(['test/bar/foo/123', 'test/foo/bar/123', 'test/foo/bar/456']);
    },
  },
  {
    id: 'list-uploads-encoding-type-unknown',
    operation: 'ListMultipartUploads',
    source: snapshot(LIST, `${V2}::test_list_ops_encoding_type_validation[list_multipart_uploads]`, 'list_multipart_uploads-error-wrong-value'),
    aws: { status: 400, code: 'InvalidArgument' },
    act: ({ s3 }) => s3.send({ method: 'GET', key: '', query: { uploads: '', 'encoding-type': 'value' } }),
  },
];
