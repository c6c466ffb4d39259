/** Seeded ticket workloads (a BPI 2013-like mix) for specs and benches, and the simulated contact centre (cli simulate). */
export * from './long-ticket.js';
export * from './min-heap.js';
export * from './ticket-load.js';
export * from './ticket-seed.js';
export * from './reference-seed.js';
export * from './centre-reference.js';
export * from './contact-centre.js';
export * from './centre-arrivals.js';
export * from './agent-shifts.js';
export * from './centre-tickets.js';
