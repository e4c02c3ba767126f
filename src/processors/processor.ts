/**
 * The preprocessing step is pluggable: a processor reads the session's raw files from a local
 * folder and writes its outputs into another. It must be deterministic for the same input
 * (re-runs overwrite the same keys with the same bytes) and must not touch its input.
 */
import type { Manifest } from '../core/session/manifest-types.js';

export interface Processor {
  name: string;
  version: string;
  params: Record<string, unknown>;
  run(input: { dir: string; manifest: Manifest }, outputDir: string, signal?: AbortSignal): Promise<void>;
}
