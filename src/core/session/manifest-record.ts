/**
 * The checked reader of a stored session manifest (`_manifest.json` and its revisions). The API
 * checked the manifest before writing it (backend/commit/validate-manifest.ts); this checks the
 * stored copy still has that shape, so a damaged one is refused naming its key and the field.
 */
import { arrayOf, fieldsOf, int, mapOf, num, obj, oneOf, opt, str } from '../shape.js';
import { storedRecord } from '../stored-record.js';
import { MANIFEST_SCHEMA, type Manifest, type ManifestFile, type ManifestWarning } from './manifest-types.js';

const FILE = fieldsOf<ManifestFile>()({ name: str, role: oneOf('data', 'metadata'), size: int, sha256: str, attempt: opt(str) });
const WARNING = fieldsOf<ManifestWarning>()({ code: str, file: opt(str), field: opt(str), message: str });

export const MANIFEST = storedRecord<Manifest>({
  what: 'session manifest',
  hint: 'the manifest is the commit marker: restore its previous version (the raw bucket keeps versions), or upload the session folder again from the rig',
  shape: fieldsOf<Manifest>()({
    schema: oneOf(MANIFEST_SCHEMA),
    sessionId: str,
    rig: str,
    session: str,
    recordedAt: str,
    metadataFile: str,
    variables: obj({ numeric: mapOf(num), text: mapOf(str) }),
    files: arrayOf(FILE),
    fileCount: int,
    totalBytes: int,
    client: obj({ name: oneOf('recpipe'), version: str, host: str, transport: oneOf('api', 'direct') }),
    createdAt: str,
    warnings: opt(arrayOf(WARNING)),
    revision: opt(int),
  }),
});
