import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { REFERENCE_KINDS, type ReferenceKind } from '#ticketing';

/**
 * The admin API's reference-data bodies and answers. The definitions inside are checked by the
 * domain (decideReference: 422 with the field path, the same rules as `cli ref import`); these
 * DTOs check the envelope. The document's shape is docs/schemas/reference-data.schema.json.
 */

const SECTION = (description: string) => ApiPropertyOptional({ type: 'object', additionalProperties: true, description });

export class ReferenceDocumentDto {
  @SECTION('Units by id: {name, calendar, parentUnit, escalationContacts}')
  @IsOptional()
  @IsObject()
  units?: Record<string, unknown>;

  @SECTION('Users by id: {name, memberships: [{unit, supervisor}]}')
  @IsOptional()
  @IsObject()
  users?: Record<string, unknown>;

  @SECTION('Categories by id: {name, parent}')
  @IsOptional()
  @IsObject()
  categories?: Record<string, unknown>;

  @SECTION('Priorities by id: {name, rank}')
  @IsOptional()
  @IsObject()
  priorities?: Record<string, unknown>;

  @SECTION('Channels by id: {name}')
  @IsOptional()
  @IsObject()
  channels?: Record<string, unknown>;

  @SECTION('Customer tiers by id: {name, rank}')
  @IsOptional()
  @IsObject()
  customerTiers?: Record<string, unknown>;

  @SECTION('Calendars by id: their versions, oldest first: [{name, effectiveFrom, definition: {zone, weekly, overrides}}]')
  @IsOptional()
  @IsObject()
  calendars?: Record<string, unknown>;

  @SECTION(
    'SLA policies by id: their versions, oldest first: [{name, effectiveFrom, order, match, targets, calendar}]; ' +
      'a retirement is {retired: true, effectiveFrom}',
  )
  @IsOptional()
  @IsObject()
  slaPolicies?: Record<string, unknown>;

  @SECTION(
    'Escalation rules by id: their versions, oldest first: [{name, effectiveFrom, order, match, phase, levels: ' +
      '[{level, afterSeconds, to: {supervisorOf} | {unit}, route}]}]; a retirement is {retired: true, effectiveFrom}',
  )
  @IsOptional()
  @IsObject()
  escalationRules?: Record<string, unknown>;
}

export class DefineReferenceDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'The whole definition as the file format has it for one entity (calendars and policies: one new version). ' +
      'Equal to the stored one: nothing is written.',
    example: { name: 'Front office', calendar: 'istanbul', parentUnit: null, escalationContacts: ['lead@example.com'] },
  })
  @IsObject()
  definition!: Record<string, unknown>;
}

export class RetireReferenceQueryDto {
  @ApiPropertyOptional({
    description: 'SLA policies and escalation rules only: the instant it stops matching (ISO-8601); default now',
    example: '2026-05-01T00:00:00Z',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  effectiveFrom?: string;
}

export class ReferenceChangeDto {
  @ApiProperty({ description: 'Events appended; 0 when everything already was so (a repeated import)' })
  written!: number;

  @ApiProperty({ description: 'Entities or versions the request stated exactly as they stand' })
  unchanged!: number;
}

export class ReferenceEntityChangeDto extends ReferenceChangeDto {
  @ApiProperty({ enum: REFERENCE_KINDS })
  kind!: ReferenceKind;

  @ApiProperty({ example: 'front' })
  id!: string;
}

export class ReferenceListDto {
  @ApiProperty({ enum: REFERENCE_KINDS })
  kind!: ReferenceKind;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The entities in force by id (calendars and policies: their version lists), as in the document',
  })
  items!: Record<string, unknown>;
}

export const SEEN_KINDS = ['unit', 'user', 'category', 'priority', 'channel', 'customerTier'] as const;

export class SeenNamesQueryDto {
  @ApiPropertyOptional({ enum: SEEN_KINDS, description: 'Only names of this kind' })
  @IsOptional()
  @IsIn(SEEN_KINDS)
  kind?: (typeof SEEN_KINDS)[number];

  @ApiPropertyOptional({ description: 'true: only names that are not defined (what strict mode would refuse)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  undefinedOnly?: 'true' | 'false';

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ description: 'The page after this name: the previous answer’s `next` (kind/name)', example: 'unit/front' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  @Matches(/^[A-Za-z]+\/.+$/, { message: 'after must be the previous answer’s next: <kind>/<name>' })
  after?: string;
}

export class SeenNameDto {
  @ApiProperty({ enum: SEEN_KINDS })
  kind!: string;

  @ApiProperty({ example: 'front' })
  name!: string;

  @ApiProperty({ description: 'Whether the name is defined now (in the reference data in force)' })
  defined!: boolean;

  @ApiProperty({ format: 'date-time' })
  firstSeenAt!: string;

  @ApiProperty({ format: 'date-time' })
  lastSeenAt!: string;

  @ApiProperty({ description: 'Tickets whose events used it' })
  ticketCount!: number;
}

export class SeenNamesDto {
  @ApiProperty({ type: [SeenNameDto] })
  items!: SeenNameDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next page; null on the last one' })
  next!: string | null;
}
