import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Roles } from '#api/access/access.decorators.js';
import { Idempotent } from '#api/idempotency/idempotent.decorator.js';
import { ApiErrors, BODY_ERRORS, type ErrorCodes } from '#api/platform/errors/api-errors.decorator.js';
import { ApiError, CLOCK, ReferenceStore, requestContext, type Clock } from '#platform';
import {
  defineReferenceCommand,
  DOCUMENT_SECTIONS,
  isReferenceKind,
  REFERENCE_KINDS,
  ReferenceErrors,
  toDocument,
  type ReferenceCatalogue,
  type ReferenceCommand,
  type ReferenceDecideContext,
  type ReferenceDocument,
  type ReferenceKind,
} from '#ticketing';
import {
  DefineReferenceDto,
  ReferenceChangeDto,
  ReferenceDocumentDto,
  ReferenceEntityChangeDto,
  ReferenceListDto,
  RetireReferenceQueryDto,
  SeenNamesDto,
  SeenNamesQueryDto,
  type SeenNameDto,
} from './reference.dto.js';

/** Every 422 a definition may be refused with: the reference rules and the calendar checks (defineCalendar). */
const DEFINITION_ERRORS = {
  422: [
    'REFERENCE_INVALID',
    'REFERENCE_INVALID_ID',
    'REFERENCE_RESERVED_ID',
    'REFERENCE_UNKNOWN_LINK',
    'REFERENCE_CYCLE',
    'REFERENCE_ORDER_TAKEN',
    'REFERENCE_EFFECTIVE_FROM_BACKWARDS',
    'CALENDAR_INVALID_SHAPE',
    'CALENDAR_INVALID_ZONE',
    'CALENDAR_INVALID_WEEKDAY',
    'CALENDAR_INVALID_DATE',
    'CALENDAR_INVALID_TIME',
    'CALENDAR_INVALID_INTERVAL',
    'CALENDAR_OVERLAPPING_INTERVALS',
    'CALENDAR_NO_WORKING_TIME',
    'IDEMPOTENCY_KEY_REUSED',
  ],
  400: [...BODY_ERRORS[400], 'INVALID_IDEMPOTENCY_KEY'],
  413: BODY_ERRORS[413],
  415: BODY_ERRORS[415],
  503: ['REFERENCE_BUSY', 'EVENT_STORE_UNAVAILABLE'],
} as const satisfies ErrorCodes;

const KIND_PARAM = ApiParam({ name: 'kind', enum: REFERENCE_KINDS, description: 'The kind of entity' });
const ID_PARAM = ApiParam({ name: 'id', description: 'The entity’s id (the name tickets use), URL-encoded', example: 'front' });

function sectionOf(kind: ReferenceKind): keyof ReferenceDocument {
  const section = DOCUMENT_SECTIONS.find(([sectionKind]) => sectionKind === kind);
  if (!section) throw new Error(`no document section for ${kind}`);
  return section[1];
}

function requireKind(kind: string): ReferenceKind {
  if (!isReferenceKind(kind)) throw ReferenceErrors.invalid('kind', `must be one of ${REFERENCE_KINDS.join(', ')}`);
  return kind;
}

/** The (kind, id) pairs defined now, for the `defined` flag of the seen names. */
function definedNames(catalogue: ReferenceCatalogue): { kinds: string[]; names: string[] } {
  const maps: Array<[string, ReadonlyMap<string, unknown>]> = [
    ['unit', catalogue.units],
    ['user', catalogue.users],
    ['category', catalogue.categories],
    ['priority', catalogue.priorities],
    ['channel', catalogue.channels],
    ['customerTier', catalogue.customerTiers],
  ];
  const pairs = maps.flatMap(([kind, map]) => [...map.keys()].map((name) => [kind, name] as const));
  return { kinds: pairs.map(([kind]) => kind), names: pairs.map(([, name]) => name) };
}

/**
 * Reference data over HTTP (issue 10), for admins: the whole set as one document (the same as
 * `cli ref export`/`import`), one kind, one entity; and the names tickets used. Every change
 * goes through decideReference, like the CLI's, and is in force for the next ticket command
 * of every API process once answered (ReferenceStore).
 */
@ApiTags('admin: reference data')
@Controller('admin/reference')
export class ReferenceAdminController {
  constructor(
    private readonly reference: ReferenceStore,
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private context(): ReferenceDecideContext {
    return { at: this.clock.now().toISOString(), by: requestContext().caller?.name ?? 'unknown' };
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'The whole reference data in force, as one document (the `cli ref` file format)' })
  @ApiOkResponse({ type: ReferenceDocumentDto })
  async document(): Promise<ReferenceDocument> {
    return toDocument(await this.reference.current());
  }

  @Put()
  @HttpCode(200)
  @Roles('admin')
  @Idempotent()
  @ApiOperation({
    summary:
      'Import a whole document: each entity that differs is defined, equal ones write nothing, ones left out are kept. ' +
      'Checked whole before anything is written (422 with the path in the document)',
  })
  @ApiOkResponse({ type: ReferenceChangeDto })
  @ApiErrors(DEFINITION_ERRORS)
  async importDocument(@Body() body: ReferenceDocumentDto): Promise<ReferenceChangeDto> {
    const result = await this.reference.importDocument(body as Partial<ReferenceDocument>, this.context(), requestContext().commandId);
    return { written: result.written, unchanged: result.unchanged };
  }

  // Before `:kind`: Express matches routes in the order they are declared.
  @Get('seen')
  @Roles('admin')
  @ApiOperation({
    summary:
      'The names ticket events used (units, users, categories, priorities, channels, tiers), defined or not, ' +
      'from the reference projection; by kind and name, a page at a time',
  })
  @ApiOkResponse({ type: SeenNamesDto })
  @ApiErrors({ 503: ['PROJECTION_NOT_CAUGHT_UP'] })
  async seen(@Query() query: SeenNamesQueryDto): Promise<SeenNamesDto> {
    const limit = query.limit ?? 100;
    // With PROJECTIONS=off and no projector run yet, the projection's tables do not exist: say so, not a bare 500.
    const [{ ready }] = await this.dataSource.query<Array<{ ready: boolean }>>(
      `SELECT to_regclass('analytics.ref_seen_names') IS NOT NULL AS ready`,
    );
    if (!ready) {
      throw ApiError.unavailable(
        'PROJECTION_NOT_CAUGHT_UP',
        'The reference projection has not built its tables yet: start the projector (npm run projector) or run the API with ' +
          'PROJECTIONS=inline.',
        { retryAfterSeconds: 5, projection: 'reference' },
      );
    }
    const [afterKind, ...afterName] = query.after?.split('/') ?? [];
    const defined = definedNames(await this.reference.current());
    const rows = await this.dataSource.query<
      Array<{ kind: string; name: string; defined: boolean; first_seen_at: Date; last_seen_at: Date; ticket_count: number }>
    >(
      `SELECT * FROM (
         SELECT s.kind, s.name, s.first_seen_at, s.last_seen_at, s.ticket_count,
                EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[]) AS d(kind, name) WHERE d.kind = s.kind AND d.name = s.name) AS defined
           FROM analytics.ref_seen_names s
          WHERE ($3::text IS NULL OR s.kind = $3) AND ($4::text IS NULL OR (s.kind, s.name) > ($4, $5))) seen
        WHERE NOT ($6 AND defined)
        ORDER BY kind, name
        LIMIT $7`,
      [defined.kinds, defined.names, query.kind ?? null, afterKind ?? null, afterName.join('/'), query.undefinedOnly === 'true', limit + 1],
    );
    const items: SeenNameDto[] = rows.slice(0, limit).map((row) => ({
      kind: row.kind,
      name: row.name,
      defined: row.defined,
      firstSeenAt: row.first_seen_at.toISOString(),
      lastSeenAt: row.last_seen_at.toISOString(),
      ticketCount: row.ticket_count,
    }));
    const last = items[items.length - 1];
    return { items, next: rows.length > limit && last ? `${last.kind}/${last.name}` : null };
  }

  @Get(':kind')
  @Roles('admin')
  @KIND_PARAM
  @ApiOperation({ summary: 'The entities of one kind in force, by id (calendars and policies: their version lists)' })
  @ApiOkResponse({ type: ReferenceListDto })
  @ApiErrors({ 422: ['REFERENCE_INVALID'] })
  async list(@Param('kind') rawKind: string): Promise<ReferenceListDto> {
    const kind = requireKind(rawKind);
    return { kind, items: toDocument(await this.reference.current())[sectionOf(kind)] };
  }

  @Put(':kind/:id')
  @HttpCode(200)
  @Roles('admin')
  @Idempotent()
  @KIND_PARAM
  @ID_PARAM
  @ApiOperation({
    summary: 'Define one entity (calendars and policies: a new version); the same definition again writes nothing',
  })
  @ApiOkResponse({ type: ReferenceEntityChangeDto })
  @ApiErrors(DEFINITION_ERRORS)
  async define(
    @Param('kind') rawKind: string,
    @Param('id') id: string,
    @Body() body: DefineReferenceDto,
  ): Promise<ReferenceEntityChangeDto> {
    const kind = requireKind(rawKind);
    const command = defineReferenceCommand(kind, id, body.definition);
    const result = await this.reference.decide(command, this.context(), requestContext().commandId);
    return { kind, id, written: result.written, unchanged: result.unchanged };
  }

  @Delete(':kind/:id')
  @HttpCode(200)
  @Roles('admin')
  @Idempotent()
  @KIND_PARAM
  @ID_PARAM
  @ApiOperation({
    summary:
      'Retire one entity (an SLA policy from effectiveFrom on, as a version of its own). Calendars are never retired; ' +
      'a unit, category, priority, channel or tier something still points at is refused (409)',
  })
  @ApiOkResponse({ type: ReferenceEntityChangeDto })
  @ApiErrors({
    404: ['REFERENCE_NOT_FOUND'],
    409: ['REFERENCE_IN_USE'],
    422: [
      'REFERENCE_INVALID',
      'REFERENCE_INVALID_ID',
      'REFERENCE_NOT_RETIRABLE',
      'REFERENCE_EFFECTIVE_FROM_BACKWARDS',
      'IDEMPOTENCY_KEY_REUSED',
    ],
    400: ['INVALID_IDEMPOTENCY_KEY'],
    503: ['REFERENCE_BUSY', 'EVENT_STORE_UNAVAILABLE'],
  })
  async retire(
    @Param('kind') rawKind: string,
    @Param('id') id: string,
    @Query() query: RetireReferenceQueryDto,
  ): Promise<ReferenceEntityChangeDto> {
    const kind = requireKind(rawKind);
    const command: ReferenceCommand = {
      type: 'RetireReference',
      kind,
      id,
      ...(query.effectiveFrom === undefined ? {} : { effectiveFrom: query.effectiveFrom }),
    };
    const result = await this.reference.decide(command, this.context(), requestContext().commandId);
    return { kind, id, written: result.written, unchanged: result.unchanged };
  }
}
