/**
 * The second transport of `recpipe upload`: for a machine with AWS credentials, the ingestion
 * API runs in this process instead of behind HTTP. The same router and handlers (file and
 * session names re-validated, keys scoped to the rig, commit checks, no overwrite) are built
 * over the caller's own S3 access (composition/direct-api-deps.ts), so the upload engine cannot
 * tell the difference: only the IngestApi differs.
 */
import { RoutedIngestApi, type ApiExchange } from '../../adapters/http/ingest-client.js';
import type { ApiRouter } from '../../backend/http/router.js';

/** IngestApi that hands each request to an API router in this process. */
export class DirectIngestApi extends RoutedIngestApi {
  constructor(private readonly router: ApiRouter) {
    super();
  }

  protected async exchange(req: ApiExchange): Promise<{ status: number; text: string }> {
    const res = await this.router({ method: req.method, path: req.path, headers: req.headers, body: req.body });
    return { status: res.status, text: res.body };
  }
}
