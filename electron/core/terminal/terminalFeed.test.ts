import { describe, expect, it } from 'vitest';
import { FeedCommand, FeedLedger } from './terminalFeed.js';

/** A command wired to a ledger by hand: what matters here is who acks what, and when. */
function commandIn(ledger: FeedLedger<FeedCommand>, name: string) {
  const acks: number[] = [];
  const received: string[] = [];
  const feed: string[] = [];
  const command = new FeedCommand(name, 100, {
    consumer: { onData: (chunk) => received.push(chunk), onExit: () => {} },
    toFeed: (chunk, source) => {
      ledger.append(source, chunk.length);
      feed.push(chunk);
    },
    sendAck: (chars) => acks.push(chars),
    onDidExit: () => {},
  });
  return { command, acks, received, feed, acked: () => acks.reduce((a, b) => a + b, 0) };
}

describe('FeedLedger', () => {
  it('gives each source its share of an ack, in stream order, and nothing for host text', () => {
    const ledger = new FeedLedger<string>();
    ledger.append(null, 10); // a header
    ledger.append('a', 100);
    ledger.append('a', 50); // merged with the stretch before
    ledger.append(null, 5); // an exit line
    ledger.append('b', 40);
    const shares: [string, number][] = [];
    ledger.consume(30, (source, chars) => shares.push([source, chars]));
    expect(shares).toEqual([['a', 20]]);
    ledger.consume(150, (source, chars) => shares.push([source, chars]));
    expect(shares).toEqual([['a', 20], ['a', 130], ['b', 15]]);
    expect(ledger.pendingChars).toBe(25);
    ledger.consume(1_000, (source, chars) => shares.push([source, chars]));
    expect(shares.at(-1)).toEqual(['b', 25]);
    expect(ledger.pendingChars).toBe(0);
  });

  it('stays small over a long stream of interleaved sources', () => {
    const ledger = new FeedLedger<string>();
    let total = 0;
    for (let i = 0; i < 10_000; i++) {
      ledger.append(i % 2 === 0 ? null : `c${i}`, 7);
      ledger.consume(7, (_source, chars) => (total += chars));
    }
    expect(total).toBe(5_000 * 7);
    expect(ledger.pendingChars).toBe(0);
  });
});

describe('FeedCommand', () => {
  it('acks its pty only as far as both the feed and the consumer have consumed', () => {
    const ledger = new FeedLedger<FeedCommand>();
    const { command, acked, received, feed } = commandIn(ledger, 'c1');
    command.handleData('x'.repeat(1_000));
    command.handleData('y'.repeat(500));
    expect(received.join('')).toBe(feed.join(''));
    expect(acked()).toBe(0);

    // The consumer (the worker) acks at once; the feed's viewer is slow.
    command.consumerConsumed(1_500);
    expect(acked()).toBe(0);
    ledger.consume(600, (source, chars) => source.feedConsumed(chars));
    expect(acked()).toBe(600);
    ledger.consume(900, (source, chars) => source.feedConsumed(chars));
    expect(acked()).toBe(1_500);

    // Now the consumer is the slow one.
    command.handleData('z'.repeat(100));
    ledger.consume(100, (source, chars) => source.feedConsumed(chars));
    expect(acked()).toBe(1_500);
    command.consumerConsumed(100);
    expect(acked()).toBe(1_600);
  });

  it('never acks more than it received, and nothing after its exit', () => {
    const ledger = new FeedLedger<FeedCommand>();
    const { command, acks } = commandIn(ledger, 'c1');
    command.handleData('abc');
    command.consumerConsumed(1_000);
    ledger.consume(1_000, (source, chars) => source.feedConsumed(chars));
    expect(acks).toEqual([3]);
    command.handleData('def');
    command.handleExit({ exitCode: 0, signal: null, reason: null });
    command.consumerConsumed(3);
    ledger.consume(3, (source, chars) => source.feedConsumed(chars));
    expect(acks).toEqual([3]);
    expect(command.isRunning).toBe(false);
  });

  it('holds back only the command whose output the feed has not consumed', () => {
    const ledger = new FeedLedger<FeedCommand>();
    const first = commandIn(ledger, 'c1');
    ledger.append(null, 20); // the host's exit line and the next header between them
    const second = commandIn(ledger, 'c2');
    first.command.handleData('1'.repeat(50));
    ledger.append(null, 20);
    second.command.handleData('2'.repeat(50));
    first.command.consumerConsumed(50);
    second.command.consumerConsumed(50);
    // Up to 10 chars into the second command's output: 20 + 50 + 20 + 10.
    ledger.consume(100, (source, chars) => source.feedConsumed(chars));
    expect(first.acked()).toBe(50);
    expect(second.acked()).toBe(10);
  });
});
