import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { methods, type MethodInput, type MethodName, type MethodOutput } from '../../shared/contract.js';

/**
 * The host's HTTP API (`POST /api/invoke/<method>` with the bearer token from
 * `$FLOTILLA_HOME/server.json`), for benchmarks: much cheaper than a CLI process per call.
 * Keep-alive, so a timed call measures the host's answer, not a TCP handshake.
 */
export class HostApi {
  /**
   * 2 s: idle sockets are dropped before the server's keep-alive timeout (Node's default, 5 s)
   * closes them under us; a request sent on a socket the server is closing fails with ECONNRESET.
   */
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 8, timeout: 2_000 });

  private constructor(
    private readonly origin: string,
    private readonly token: string,
  ) {}

  /** Reads server.json of a running `flotilla serve` in `home`. */
  static fromHome(home: string): HostApi {
    const info: unknown = JSON.parse(fs.readFileSync(path.join(home, 'server.json'), 'utf8'));
    if (typeof info !== 'object' || info === null || !('url' in info) || !('token' in info)) {
      throw new Error(`${home}/server.json has no url and token`);
    }
    const { url, token } = info;
    if (typeof url !== 'string' || typeof token !== 'string') throw new Error(`${home}/server.json: url and token must be strings`);
    return new HostApi(new URL(url).origin, token);
  }

  /** Calls `method` and parses the answer with the contract; throws on an HTTP error. */
  async invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const { status, body } = await this.post(method, input);
    if (status !== 200) throw new Error(`${method}: HTTP ${status}: ${body.slice(0, 500)}`);
    return methods[method].output.parse(JSON.parse(body)) as MethodOutput<M>;
  }

  /** Like invoke, but a `{ ok: false }` answer throws too: for calls a benchmark needs to succeed. */
  async invokeOk<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Extract<MethodOutput<M>, { ok: true }>> {
    const output = await this.invoke(method, input);
    if (typeof output === 'object' && output !== null && 'ok' in output && output.ok === false) {
      const message = 'message' in output ? String(output.message) : 'failed';
      throw new Error(`${method} failed: ${message}`);
    }
    return output as Extract<MethodOutput<M>, { ok: true }>;
  }

  /** Wall time of one call in ms, from sending the request to the last byte of the answer. */
  async time<M extends MethodName>(method: M, input: MethodInput<M>): Promise<number> {
    const startedAt = performance.now();
    const { status } = await this.post(method, input);
    const elapsed = performance.now() - startedAt;
    if (status !== 200) throw new Error(`${method}: HTTP ${status}`);
    return elapsed;
  }

  close(): void {
    this.agent.destroy();
  }

  private post(method: MethodName, input: unknown, isRetry = false): Promise<{ status: number; body: string }> {
    const payload = JSON.stringify(input);
    return new Promise((resolve, reject) => {
      const request = http.request(
        `${this.origin}/api/invoke/${method}`,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            Authorization: `Bearer ${this.token}`,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(payload),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      request.on('error', (error: NodeJS.ErrnoException) => {
        // The race above, when it still happens: the request never reached the host, so sending it again is safe.
        if (!isRetry && request.reusedSocket && error.code === 'ECONNRESET') resolve(this.post(method, input, true));
        else reject(error);
      });
      request.end(payload);
    });
  }
}
