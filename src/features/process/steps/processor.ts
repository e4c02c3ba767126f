/**
 * The preprocessing step is pluggable. A processor must be deterministic for the same input
 * (re-runs overwrite the same keys with the same bytes) and must not touch its input. Two kinds:
 *
 * - streaming (the built-in decoder): reads each raw file as a stream while it downloads and
 *   hands its outputs to a sink that uploads them as they are produced; nothing is staged, so
 *   it fits the process function at any session size;
 * - staging (external commands): gets the session's raw files in a local folder and writes its
 *   outputs into another; both must fit the function's /tmp (see docs/processing-steps.md).
 */
import type { Manifest, ManifestFile } from '../../../core/session/manifest-types.js';

export interface ProcessorInfo {
  name: string;
  version: string;
  params: Record<string, unknown>;
}

/** Where a streaming processor's outputs go: each is uploaded as it is produced. */
export interface OutputSink {
  /** Streams one output; `sizeHint` (bytes, when known up front) sizes the upload's parts. */
  stream(name: string, body: AsyncIterable<Uint8Array>, sizeHint?: number): Promise<void>;
  /** A small output written whole (summaries, JSON). */
  put(name: string, body: Buffer | string): Promise<void>;
}

/**
 * Input bytes a processor left out, and why (a frame cut short, a layout the metadata does not
 * give). Recorded in the run's provenance and ledger entry: a session with content problems is
 * processed as far as it can be, and says what was not.
 */
export interface Dropped {
  file: string;
  bytes: number;
  reason: string;
}

export interface StreamingProcessor extends ProcessorInfo {
  kind: 'stream';
  /** The manifest files it reads, in order; throws (a RecpipeError) when it cannot process the session. */
  plan(manifest: Manifest): ManifestFile[];
  /** Files it will not read at all, with the reason (optional; none when absent). */
  unprocessed?(manifest: Manifest): Dropped[];
  /** Processes one planned file from its byte stream (already verified against the manifest); returns what it left out. */
  processFile(file: ManifestFile, manifest: Manifest, source: AsyncIterable<Buffer>, out: OutputSink, signal?: AbortSignal): Promise<Dropped | void>;
}

export interface StagingProcessor extends ProcessorInfo {
  kind: 'staging';
  run(input: { dir: string; manifest: Manifest }, outputDir: string, signal?: AbortSignal): Promise<void>;
}

export type Processor = StreamingProcessor | StagingProcessor;
