import { describe, expect, it } from 'vitest';
import { PatchbayError } from '../../../main/core/model/errors';
import { DeepLinkQueue } from '../../../main/electron/deep-link-queue';

const link = (n: number) => new URL(`patchbay://oauth/callback?code=${n}`);

describe('DeepLinkQueue', () => {
  it('keeps a link that arrives before anyone waits, and hands it out once', async () => {
    const queue = new DeepLinkQueue();
    queue.push(link(1));
    expect(queue.size()).toBe(1);
    await expect(queue.next(new AbortController().signal)).resolves.toEqual(link(1));
    expect(queue.size()).toBe(0);
  });

  it('delivers to a waiting attempt directly, oldest waiter first', async () => {
    const queue = new DeepLinkQueue();
    const first = queue.next(new AbortController().signal);
    const second = queue.next(new AbortController().signal);
    queue.push(link(1));
    queue.push(link(2));
    await expect(first).resolves.toEqual(link(1));
    await expect(second).resolves.toEqual(link(2));
  });

  it('cancels a waiter on abort and gives the next link to the next waiter', async () => {
    const queue = new DeepLinkQueue();
    const controller = new AbortController();
    const aborted = queue.next(controller.signal);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'cancelled' });
    await expect(aborted).rejects.toBeInstanceOf(PatchbayError);
    const next = queue.next(new AbortController().signal);
    queue.push(link(3));
    await expect(next).resolves.toEqual(link(3));
  });

  it('drops links nobody claimed in time', async () => {
    let now = 1_000;
    const queue = new DeepLinkQueue({ clock: { now: () => now }, ttlMs: 100 });
    queue.push(link(1));
    now += 101;
    expect(queue.size()).toBe(0);
    const controller = new AbortController();
    const waiting = queue.next(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('keeps at most maxPending links, dropping the oldest', async () => {
    const queue = new DeepLinkQueue({ maxPending: 2 });
    queue.push(link(1));
    queue.push(link(2));
    queue.push(link(3));
    expect(queue.size()).toBe(2);
    await expect(queue.next(new AbortController().signal)).resolves.toEqual(link(2));
  });

  it('refuses to wait on an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(new DeepLinkQueue().next(controller.signal)).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('DeepLinkQueue since', () => {
  it('discards links that arrived before the attempt started', async () => {
    let now = 1_000;
    const queue = new DeepLinkQueue({ clock: { now: () => now } });
    queue.push(link(1));
    now = 2_000;
    queue.push(link(2));
    await expect(queue.next(new AbortController().signal, 1_500)).resolves.toEqual(link(2));
    expect(queue.size()).toBe(0);
  });
});
