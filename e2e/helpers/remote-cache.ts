/**
 * Typed access to e2e/fixtures/remote-cache-server.js (an Nx self-hosted remote cache,
 * nx.md §5.7). Loaded by absolute path so it works from sources and from dist/.
 */
import { remoteCacheServerScript } from './paths';

export interface CacheRequest {
  method: string;
  hash: string | null;
  status: number;
}

export interface RemoteCacheServer {
  url: string;
  port: number;
  requests: CacheRequest[];
  close(): Promise<void>;
}

export interface RemoteCacheServerOptions {
  dir: string;
  token: string;
  port?: number;
  /** A token that may GET but gets 403 on PUT. */
  readOnlyToken?: string;
}

export function startRemoteCacheServer(opts: RemoteCacheServerOptions): Promise<RemoteCacheServer> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(remoteCacheServerScript()) as { startRemoteCacheServer(o: RemoteCacheServerOptions): Promise<RemoteCacheServer> };
  return mod.startRemoteCacheServer(opts);
}

/** The two variables that point nx at the server. */
export function remoteCacheEnv(server: RemoteCacheServer, token: string): Record<string, string> {
  return { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token };
}
