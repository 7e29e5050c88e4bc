import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Loads Node's fetch (undici) and its HTTP parser by sending one request to a throwaway
 * server on 127.0.0.1, so the agent's first model call does not pay for them: a cold first
 * request took 67–105 ms from the SDK call to the server here, a warm one ~10 ms, and it
 * sits on the path from "new task" to "agent started" (the `worktree` benchmark). The worker
 * does it while it waits to be handed a turn. Only an optimization: never rejects.
 */
export async function warmUpHttp(): Promise<void> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    const reply = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await reply.text();
  } catch {
    // The first model call pays for the loading instead.
  } finally {
    // Also ends the idle kept-alive connection (Node ≥ 19): nothing outlives the warm-up.
    server.close();
  }
}
