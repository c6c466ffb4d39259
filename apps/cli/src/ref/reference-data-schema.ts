/* eslint-disable max-len -- the schema's descriptions are one string each, as in the published JSON */
/**
 * The published JSON Schema of the reference-data document (docs/schemas/reference-data.schema.json,
 * draft 2020-12), built into the CLI so an installed image needs no docs folder. A spec keeps the
 * two equal: edit both together.
 */
export const REFERENCE_DATA_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://bildirim.example/schemas/reference-data.schema.json',
  title: 'Reference data',
  description:
    "The whole reference data of a contact centre as one document: what GET /admin/reference answers and `npm run cli -- ref export` writes, and what PUT /admin/reference and `ref import` read (JSON or YAML). Entities by id; calendars and SLA policies as their versions, oldest first. A section left out changes nothing. The links between entities (a unit's calendar, a membership's unit, a policy's names) are checked on import, with the same rules as the admin API.",
  type: 'object',
  additionalProperties: false,
  properties: {
    units: {
      type: 'object',
      propertyNames: {
        $ref: '#/$defs/id',
      },
      additionalProperties: {
        $ref: '#/$defs/unit',
      },
    },
    users: {
      type: 'object',
      propertyNames: {
        $ref: '#/$defs/id',
      },
      additionalProperties: {
        $ref: '#/$defs/user',
      },
    },
    categories: {
      type: 'object',
      propertyNames: {
        $ref: '#/$defs/id',
      },
      additionalProperties: {
        $ref: '#/$defs/category',
      },
    },
    priorities: {
      type: 'object',
      propertyNames: {
        $ref: '#/$defs/id',
      },
      additionalProperties: {
        $ref: '#/$defs/ranked',
      },
    },
    channels: {
      type: 'object',
      propertyNames: {
        $ref: '#/$defs/id',
      },
      additionalProperties: {
        $ref: '#/$defs/channel',
      },
    },
    customerTiers: {
      type: 'object',
      propertyNames: {
        $ref: '#/$defs/id',
      },
      additionalProperties: {
        $ref: '#/$defs/ranked',
      },
    },
    calendars: {
      type: 'object',
      propertyNames: {
        $ref: '#/$defs/id',
        not: {
          const: '24x7',
        },
      },
      additionalProperties: {
        type: 'array',
        minItems: 1,
        items: {
          $ref: '#/$defs/calendarVersion',
        },
      },
    },
    slaPolicies: {
      type: 'object',
      propertyNames: {
        $ref: '#/$defs/id',
      },
      additionalProperties: {
        type: 'array',
        minItems: 1,
        items: {
          oneOf: [
            {
              $ref: '#/$defs/slaPolicyVersion',
            },
            {
              $ref: '#/$defs/retiredVersion',
            },
          ],
        },
      },
    },
    escalationRules: {
      type: 'object',
      propertyNames: {
        $ref: '#/$defs/id',
      },
      additionalProperties: {
        type: 'array',
        minItems: 1,
        items: {
          oneOf: [
            {
              $ref: '#/$defs/escalationRuleVersion',
            },
            {
              $ref: '#/$defs/retiredVersion',
            },
          ],
        },
      },
    },
  },
  $defs: {
    id: {
      description:
        'The name tickets use (unitId, userId, category, …): 1 to 128 letters, digits and . _ : - /, starting with a letter or digit; no @ (it separates a version: istanbul@2).',
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$',
    },
    name: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      pattern: '\\S',
    },
    instant: {
      description: 'An ISO-8601 instant with Z or an offset.',
      type: 'string',
      pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$',
    },
    idOrNull: {
      oneOf: [
        {
          $ref: '#/$defs/id',
        },
        {
          type: 'null',
        },
      ],
    },
    unit: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: {
          $ref: '#/$defs/name',
        },
        calendar: {
          $ref: '#/$defs/idOrNull',
          description: 'A calendar id (its version in force applies), 24x7, or null for the 24/7 calendar.',
        },
        parentUnit: {
          $ref: '#/$defs/idOrNull',
        },
        escalationContacts: {
          type: 'array',
          description: "User ids or e-mail addresses told when one of the unit's tickets escalates.",
          items: {
            anyOf: [
              {
                $ref: '#/$defs/id',
              },
              {
                type: 'string',
                pattern: '^[^\\s@]+@[^\\s@]+$',
                maxLength: 254,
              },
            ],
          },
        },
      },
    },
    user: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: {
          $ref: '#/$defs/name',
        },
        memberships: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['unit'],
            properties: {
              unit: {
                $ref: '#/$defs/id',
              },
              supervisor: {
                type: 'boolean',
              },
            },
          },
        },
      },
    },
    category: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: {
          $ref: '#/$defs/name',
        },
        parent: {
          $ref: '#/$defs/idOrNull',
        },
      },
    },
    ranked: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'rank'],
      properties: {
        name: {
          $ref: '#/$defs/name',
        },
        rank: {
          type: 'integer',
          minimum: 1,
        },
      },
    },
    channel: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: {
          $ref: '#/$defs/name',
        },
      },
    },
    time: {
      type: 'string',
      pattern: '^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$',
    },
    intervals: {
      type: 'array',
      description: 'Working intervals [from, to) in local wall-clock time HH:MM; 24:00 may end one.',
      items: {
        type: 'array',
        prefixItems: [
          {
            $ref: '#/$defs/time',
          },
          {
            $ref: '#/$defs/time',
          },
        ],
        minItems: 2,
        maxItems: 2,
      },
    },
    calendarVersion: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'effectiveFrom', 'definition'],
      properties: {
        name: {
          $ref: '#/$defs/name',
        },
        effectiveFrom: {
          $ref: '#/$defs/instant',
        },
        definition: {
          type: 'object',
          additionalProperties: false,
          required: ['zone', 'weekly'],
          properties: {
            zone: {
              type: 'string',
              description: 'An IANA time zone, e.g. Europe/Istanbul.',
              minLength: 1,
            },
            weekly: {
              type: 'object',
              additionalProperties: false,
              description: 'A weekday left out is closed.',
              properties: {
                mon: {
                  $ref: '#/$defs/intervals',
                },
                tue: {
                  $ref: '#/$defs/intervals',
                },
                wed: {
                  $ref: '#/$defs/intervals',
                },
                thu: {
                  $ref: '#/$defs/intervals',
                },
                fri: {
                  $ref: '#/$defs/intervals',
                },
                sat: {
                  $ref: '#/$defs/intervals',
                },
                sun: {
                  $ref: '#/$defs/intervals',
                },
              },
            },
            overrides: {
              type: 'object',
              description: 'A local date YYYY-MM-DD → its own intervals ([] = a holiday).',
              propertyNames: {
                pattern: '^\\d{4}-\\d{2}-\\d{2}$',
              },
              additionalProperties: {
                $ref: '#/$defs/intervals',
              },
            },
          },
        },
      },
    },
    target: {
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['seconds', 'time'],
          properties: {
            seconds: {
              type: 'integer',
              minimum: 0,
            },
            time: {
              enum: ['business', 'calendar'],
            },
          },
        },
        {
          type: 'null',
        },
      ],
    },
    slaPolicyVersion: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'effectiveFrom', 'order', 'targets'],
      properties: {
        name: {
          $ref: '#/$defs/name',
        },
        effectiveFrom: {
          $ref: '#/$defs/instant',
        },
        order: {
          type: 'integer',
          minimum: 0,
          description: 'Tie-breaker between equally specific matches: the lower wins; unique among the policies in force.',
        },
        match: {
          type: 'object',
          additionalProperties: false,
          description: 'An absent criterion matches anything; a category covers its subtree.',
          properties: {
            category: {
              $ref: '#/$defs/id',
            },
            priority: {
              $ref: '#/$defs/id',
            },
            channel: {
              $ref: '#/$defs/id',
            },
            customerTier: {
              $ref: '#/$defs/id',
            },
          },
        },
        targets: {
          type: 'object',
          additionalProperties: false,
          properties: {
            claim: {
              $ref: '#/$defs/target',
            },
            response: {
              $ref: '#/$defs/target',
            },
            resolution: {
              $ref: '#/$defs/target',
            },
          },
        },
        calendar: {
          $ref: '#/$defs/idOrNull',
          description: "Calendar of the business targets; null: the ticket's unit's calendar.",
        },
        warnings: {
          type: 'array',
          description:
            "Breach warnings: percents of each target (ascending) at which a TicketBreachWarned is written, in the target's time; absent = none.",
          items: {
            type: 'integer',
            minimum: 1,
            maximum: 99,
          },
        },
      },
    },
    escalationRuleVersion: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'effectiveFrom', 'order', 'phase', 'levels'],
      description:
        'On a delay of `phase`, escalate level by level; matched like a policy, the most specific rule in force at the due wins.',
      properties: {
        name: {
          $ref: '#/$defs/name',
        },
        effectiveFrom: {
          $ref: '#/$defs/instant',
        },
        order: {
          type: 'integer',
          minimum: 0,
          description: 'Tie-breaker between equally specific matches: the lower wins; unique among the rules in force.',
        },
        match: {
          type: 'object',
          additionalProperties: false,
          description: 'An absent criterion matches anything; a category covers its subtree.',
          properties: {
            category: {
              $ref: '#/$defs/id',
            },
            priority: {
              $ref: '#/$defs/id',
            },
            channel: {
              $ref: '#/$defs/id',
            },
            customerTier: {
              $ref: '#/$defs/id',
            },
          },
        },
        phase: {
          enum: ['claim', 'response', 'resolution'],
        },
        levels: {
          type: 'array',
          minItems: 1,
          description: 'Levels and their afterSeconds ascending.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['level', 'afterSeconds', 'to'],
            properties: {
              level: {
                type: 'integer',
                minimum: 1,
              },
              afterSeconds: {
                type: 'integer',
                minimum: 0,
                description: "After the phase's due; level 1 usually 0 (at the delay).",
              },
              to: {
                oneOf: [
                  {
                    type: 'object',
                    additionalProperties: false,
                    required: ['supervisorOf'],
                    properties: {
                      supervisorOf: {
                        $ref: '#/$defs/idOrNull',
                      },
                    },
                  },
                  {
                    type: 'object',
                    additionalProperties: false,
                    required: ['unit'],
                    properties: {
                      unit: {
                        $ref: '#/$defs/id',
                      },
                    },
                  },
                ],
                description: 'The supervisors of a unit (supervisorOf null: of the unit holding the ticket), or another unit.',
              },
              route: {
                type: 'boolean',
                description: 'Also move the ticket to the target unit.',
              },
            },
          },
        },
      },
    },
    retiredVersion: {
      type: 'object',
      additionalProperties: false,
      required: ['retired', 'effectiveFrom'],
      properties: {
        retired: {
          const: true,
        },
        effectiveFrom: {
          $ref: '#/$defs/instant',
        },
      },
    },
  },
} as const;
