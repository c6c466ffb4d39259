import { uuidV5 } from '#event-store';

/** Namespaces of the importer's derived ids (random constants, fixed forever). */
const IMPORT_TICKET_NAMESPACE = '8e0f4b52-3a71-4d0c-9b6e-5c2f7a1d9e34';
const IMPORT_COMMAND_NAMESPACE = 'd27a9c1e-64b3-4f85-a0d2-1b7e3c9f5a68';

/** The ticket of a source's case: the same case is the same ticket, however often it is imported. */
export function importTicketId(source: string, caseId: string): string {
  return uuidV5(`${source}/${caseId}`, IMPORT_TICKET_NAMESPACE);
}

/** The `step`-th command of the case's `row`-th row (0-based, in file order, every row counted). */
export function importCommandId(source: string, caseId: string, row: number, step: number): string {
  return uuidV5(`${source}/${caseId}/${row}/${step}`, IMPORT_COMMAND_NAMESPACE);
}
