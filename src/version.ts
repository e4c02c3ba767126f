/** The recpipe version, written into manifests, provenance and logs. */
export const VERSION = '0.1.0';
export const CLIENT_NAME = 'recpipe';
