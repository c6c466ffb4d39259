/**
 * The server calls in flight, so that stop() can end them as a node going away does and openCalls()
 * can prove that clients close their subscriptions.
 */
import grpc from '@grpc/grpc-js';

export interface OpenCall {
  /** Ends the call with a status the client sees (UNAVAILABLE on stop). */
  fail(status: grpc.StatusObject): void;
  /** Forgets the call without answering (the transport is gone). */
  drop(): void;
}

export class OpenCalls {
  readonly #calls = new Set<OpenCall>();

  get size(): number {
    return this.#calls.size;
  }

  add(call: OpenCall): () => void {
    this.#calls.add(call);
    return () => this.#calls.delete(call);
  }

  failAll(details: string): void {
    for (const call of [...this.#calls]) call.fail({ code: grpc.status.UNAVAILABLE, details, metadata: new grpc.Metadata() });
    this.#calls.clear();
  }

  dropAll(): void {
    for (const call of [...this.#calls]) call.drop();
    this.#calls.clear();
  }
}
