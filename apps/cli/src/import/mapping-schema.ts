/* eslint-disable max-len -- the schema's descriptions are one string each, as in the published JSON */
/**
 * The published JSON Schema of an import mapping (docs/schemas/import-mapping.schema.json, draft
 * 2020-12), built into the CLI so an installed image needs no docs folder. A spec keeps the two
 * equal: edit both together.
 */
export const IMPORT_MAPPING_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://bildirim.example/schemas/import-mapping.schema.json',
  title: 'Import mapping',
  description:
    'How `npm run cli -- import` reads an event log (CSV or XES): which column holds what, and which activity becomes which ticket commands. JSON or YAML. XES trace attributes are columns named `case:<key>`, event attributes are columns by their key.',
  type: 'object',
  additionalProperties: false,
  required: ['source', 'columns', 'activities'],
  properties: {
    $schema: { type: 'string' },
    source: {
      description:
        'A short name of the source system; with the case id it derives the ticket ids and command ids, so the same case imported twice is the same ticket.',
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$',
    },
    description: { type: 'string' },
    columns: {
      type: 'object',
      additionalProperties: false,
      required: ['caseId', 'activity', 'timestamp', 'group'],
      properties: {
        caseId: { $ref: '#/$defs/column', description: 'The case (ticket) a row belongs to.' },
        activity: {
          description: 'The activity: one column, or several joined with "/" (XES: concept:name and lifecycle:transition).',
          oneOf: [{ $ref: '#/$defs/column' }, { type: 'array', minItems: 1, items: { $ref: '#/$defs/column' } }],
        },
        timestamp: {
          type: 'object',
          additionalProperties: false,
          required: ['column', 'format'],
          properties: {
            column: { $ref: '#/$defs/column' },
            format: {
              description: 'iso8601: 2012-04-11T08:30:00+02:00, or without an offset (then read in `zone`), a space instead of T allowed.',
              enum: ['iso8601'],
            },
            zone: {
              description: 'IANA time zone of timestamps that carry no offset; without it such a timestamp is rejected.',
              type: 'string',
              minLength: 1,
            },
          },
        },
        resource: { $ref: '#/$defs/column', description: 'The person acting on the row (claims, holds, closes).' },
        group: { $ref: '#/$defs/column', description: 'The team (unit) holding the ticket at the row: a change routes it.' },
        priority: { $ref: '#/$defs/column' },
        category: { $ref: '#/$defs/column' },
        product: { $ref: '#/$defs/column' },
        channel: { $ref: '#/$defs/column' },
        customer: { $ref: '#/$defs/column' },
        subject: { $ref: '#/$defs/column', description: 'Default: the case id.' },
      },
    },
    csv: {
      description:
        'How a CSV log is written: its delimiter (default: the one of , ; tab | that splits the header line most) and quote character (default ").',
      type: 'object',
      additionalProperties: false,
      properties: {
        delimiter: { type: 'string', minLength: 1, maxLength: 1 },
        quote: { type: 'string', minLength: 1, maxLength: 1 },
      },
    },
    slaPolicies: {
      description:
        'none (the default): imported tickets get no due times, the log had no targets and none is invented; catalogue: the policies of the reference data in force (and its built-in default where none matches), as for a live ticket.',
      enum: ['none', 'catalogue'],
    },
    constants: {
      description: 'Values for what the log does not hold (used when the column is not mapped or empty).',
      type: 'object',
      additionalProperties: false,
      properties: {
        channel: { type: 'string', minLength: 1 },
        customer: { type: 'string', minLength: 1 },
        priority: { type: 'string', minLength: 1 },
        category: { type: 'string', minLength: 1 },
      },
    },
    lines: {
      description:
        'Support lines by the suffix of the group name (e.g. " 2nd": 2); any other group is line 1. A move to a higher line than the ticket has reached is an escalation to level line − 1.',
      type: 'object',
      additionalProperties: { type: 'integer', minimum: 2, maximum: 9 },
    },
    activities: {
      description:
        'Rules in order, the first whose pattern matches the activity applies; an activity no rule matches is rejected (unknown_activity). A pattern is the activity text, with a trailing * matching any rest.',
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['activity', 'action'],
        properties: {
          activity: { type: 'string', minLength: 1 },
          action: {
            description:
              'skip: counted, not imported. none: only the ticket-wide rules (open, reopen, route). release: back to its pool. work: claimed by the resource, resumed if on hold. hold: claimed by the resource, put on hold. close: resumed, claimed if unclaimed, closed with `resolution`.',
            enum: ['skip', 'none', 'release', 'work', 'hold', 'close'],
          },
          resolution: { enum: ['resolved', 'not_resolved', 'duplicate', 'cancelled'] },
        },
        if: { properties: { action: { const: 'close' } } },
        then: { properties: { resolution: true }, required: ['resolution'] },
        else: { properties: { resolution: false } },
      },
    },
  },
  $defs: {
    column: { description: 'A column name (CSV header) or XES attribute key.', type: 'string', minLength: 1 },
  },
} as const;
