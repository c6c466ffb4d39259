import type { TicketState } from '#ticketing';

/** What one command wrote: the answer a retry of it gets (DESIGN.md §3). */
export interface AppliedCommand {
  events: Array<{ eventId: string; type: string; revision: number; occurredAt: string }>;
  /** global position of the command's last event */
  position: string;
}

/** A ticket folded up to `state.revision`, with the commands whose events it has seen. */
export interface TicketSnapshot {
  state: TicketState;
  commands: Map<string, AppliedCommand>;
}

export const TICKET_SNAPSHOTS = Symbol('TICKET_SNAPSHOTS');

/**
 * The most recently used tickets' snapshots, at most `capacity` of them (0 keeps none). Only
 * ever replaced by a later revision: two loads racing cannot move a ticket back.
 */
export class TicketSnapshots {
  private readonly entries = new Map<string, TicketSnapshot>();

  constructor(readonly capacity: number) {}

  get(ticketId: string): TicketSnapshot | undefined {
    const snapshot = this.entries.get(ticketId);
    if (snapshot === undefined) return undefined;
    // Map keeps insertion order: re-inserting marks it the most recently used.
    this.entries.delete(ticketId);
    this.entries.set(ticketId, snapshot);
    return snapshot;
  }

  keep(ticketId: string, snapshot: TicketSnapshot): void {
    if (this.capacity === 0) return;
    const current = this.entries.get(ticketId);
    if (current !== undefined && current.state.revision >= snapshot.state.revision) return;
    this.entries.delete(ticketId);
    this.entries.set(ticketId, snapshot);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
