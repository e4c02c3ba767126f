/**
 * An S3 error answer as the stand-in sends it: status, code, message and (like S3) a few extra
 * elements naming what failed. Every rule in this folder returns one, or undefined when the
 * request passes; the gateway turns it into S3's XML error document.
 */
export interface S3Failure {
  status: number;
  code: string;
  message: string;
  /** Extra elements of S3's error document (`<UploadId>`, `<PartNumber>`, `<Condition>`...). */
  extra?: Record<string, string>;
}

/** Builds an S3Failure (keeps the rule files short). */
export function failure(status: number, code: string, message: string, extra?: Record<string, string>): S3Failure {
  return extra ? { status, code, message, extra } : { status, code, message };
}

/** S3's answer for an upload id that is unknown, completed, aborted, or started for another key. */
export function noSuchUpload(uploadId: string): S3Failure {
  return failure(404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', {
    UploadId: uploadId,
  });
}

/** A request the stand-in does not serve (S3's NotImplemented), naming it and why. */
export function notImplemented(what: string): S3Failure {
  return failure(501, 'NotImplemented', `the local stack does not implement ${what}`);
}
