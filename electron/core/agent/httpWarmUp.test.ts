import { describe, expect, it } from 'vitest';
import { warmUpHttp } from './httpWarmUp.js';

describe('warmUpHttp', () => {
  it('leaves no server or socket open behind it', async () => {
    const sockets = () => process.getActiveResourcesInfo().filter((kind) => kind.startsWith('TCP')).length;
    const before = sockets();
    await warmUpHttp();
    // The client's side of the kept-alive connection closes once the server dropped it.
    // 10 s: it closes within milliseconds; a loaded machine may run this process late.
    const deadline = Date.now() + 10_000;
    while (sockets() > before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sockets()).toBe(before);
  });
});
