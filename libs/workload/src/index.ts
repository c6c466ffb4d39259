/** Seeded ticket workloads (a BPI 2013-like mix) for specs, benches and the simulator (cli simulate). */
export * from './long-ticket.js';
export * from './min-heap.js';
export * from './ticket-load.js';
export * from './ticket-seed.js';
export * from './reference-seed.js';
export * from './centre-reference.js';
