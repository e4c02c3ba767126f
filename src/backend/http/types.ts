/** The one HTTP shape the router speaks; the local server and the Lambda adapters translate to and from it. */
export interface ApiRequest {
  method: string;
  /** Path without query string, e.g. /v1/sessions/20210228_161221 (still URL-encoded). */
  path: string;
  /** Header names in lowercase. */
  headers: Record<string, string | undefined>;
  body: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type ApiRouter = (req: ApiRequest) => Promise<ApiResponse>;

/** Largest accepted request body, bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;
