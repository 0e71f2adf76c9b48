import type { Readable } from 'node:stream';
import { DeadlineError } from './errors';
import type { ObjectStore } from './object-store';

/**
 * An ObjectStore whose streams are cut when `signal` aborts (the Lambda deadline): a streamed upload's
 * body is destroyed, which makes the multipart upload abort (nothing is completed, so no partial object
 * becomes visible), and a streamed download's body is destroyed, which releases its socket. Calls made
 * after the abort fail at once. The error is a DeadlineError, which fails the record so it is retried.
 */
export function abortableStore(store: ObjectStore, signal: AbortSignal): ObjectStore {
  const error = () => new DeadlineError('the invocation deadline passed before the object was fully written; it will be retried');
  const check = () => {
    if (signal.aborted) throw error();
  };
  const onAbort = (destroy: (err: Error) => void) => {
    const listener = () => destroy(error());
    signal.addEventListener('abort', listener, { once: true });
    return () => signal.removeEventListener('abort', listener);
  };
  // Methods not listed here (e.g. a cleanup delete) are delegated unchanged: cleanup must still run after the abort.
  const wrapped = Object.create(store) as ObjectStore;
  const overrides: Pick<ObjectStore, 'get' | 'getBytes' | 'put' | 'copy' | 'open'> = {
    async get(loc) {
      check();
      const object = await store.get(loc);
      const body = object.body as Partial<Readable>;
      if (typeof body.destroy === 'function' && typeof body.once === 'function') {
        const stop = onAbort((e) => body.destroy!(e));
        body.once('close', stop);
      }
      return object;
    },
    async getBytes(loc) {
      check();
      return store.getBytes(loc);
    },
    async put(loc, body, options) {
      check();
      if (typeof body === 'string' || body instanceof Uint8Array) return store.put(loc, body, { ...options, signal });
      const stop = onAbort((e) => body.destroy(e));
      try {
        return await store.put(loc, body, { ...options, signal });
      } catch (err) {
        throw signal.aborted ? error() : err;
      } finally {
        stop();
      }
    },
    async copy(from, to) {
      check();
      return store.copy(from, to);
    },
    async open(loc) {
      check();
      const file = await store.open(loc);
      return { ...file, slice: async (start, end) => (check(), file.slice(start, end)) };
    },
  };
  return Object.assign(wrapped, overrides);
}
