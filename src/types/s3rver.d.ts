// s3rver 3.7 ships no type declarations; recpipe uses only its constructor, run() and close().
declare module 's3rver' {
  const S3rver: unknown;
  export default S3rver;
}
