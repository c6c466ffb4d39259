import { Injectable } from '@nestjs/common';

/**
 * Runs the tasks of one key one after another, tasks of different keys side by side. Commands
 * to one ticket from one process then never race each other for the same revision: the
 * optimistic check is left to catch writers in other processes only.
 */
@Injectable()
export class StreamQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    // The tail settles when the task does, failed or not: a failed task must not fail the next.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** keys with a task running or waiting */
  get busy(): number {
    return this.tails.size;
  }
}
