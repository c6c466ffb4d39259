import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI shapes of the audit answers (`TicketView`, `TicketLog`, `TicketStateAt`). */

const INSTANT = { type: 'string', format: 'date-time' } as const;
const NULLABLE_INSTANT = { ...INSTANT, nullable: true } as const;
const NULLABLE_TEXT = { type: 'string', nullable: true } as const;

class HoldDto {
  @ApiProperty(INSTANT) startedAt!: string;
  @ApiProperty() reason!: string;
}

class ClockTermsDto {
  @ApiProperty({ description: 'the target, in seconds of the calendar below' }) targetSeconds!: number;
  @ApiProperty({ description: 'the calendar version the clock runs in: `<calendar>@<version>`; `24x7@1` is calendar time' })
  calendarId!: string;
  @ApiProperty({
    type: [Number],
    required: false,
    description: 'breach warnings: percents of the target at which a TicketBreachWarned is written; absent = none',
  })
  warnings?: number[];
}

class EscalationStepDto {
  @ApiProperty() level!: number;
  @ApiProperty(INSTANT) at!: string;
}

class EscalationScheduleDto {
  @ApiProperty({ description: 'the escalation rule version (`<rule>@<version>`)' }) ruleId!: string;
  @ApiProperty({ type: [EscalationStepDto], description: 'each level’s instant: the due plus its afterSeconds' })
  levels!: EscalationStepDto[];
}

const SCHEDULE = {
  type: EscalationScheduleDto,
  nullable: true,
  description: 'the escalation schedule the watchdog’s delay recorded; null: none',
} as const;

class HoldSpanDto {
  @ApiProperty(INSTANT) from!: string;
  @ApiProperty(INSTANT) to!: string;
}

class PoolWaitDto {
  @ApiProperty() unitId!: string;
  @ApiProperty(INSTANT) startedAt!: string;
  @ApiProperty({ type: ClockTermsDto, nullable: true, description: 'the claim clock’s terms; null = no claim target' })
  claimClock!: ClockTermsDto | null;
  @ApiProperty(NULLABLE_INSTANT) claimDueAt!: string | null;
  @ApiProperty({ description: 'its claim delay is recorded' }) delayed!: boolean;
  @ApiProperty({ type: [Number], description: 'the breach-warning thresholds already written for this pool wait' }) warned!: number[];
  @ApiProperty(SCHEDULE) escalation!: EscalationScheduleDto | null;
}

class CycleDto {
  @ApiProperty({ description: '1 for the first opening, +1 per reopening' }) number!: number;
  @ApiProperty(INSTANT) startedAt!: string;
  @ApiProperty({ ...NULLABLE_TEXT, description: 'the SLA policy version of the cycle’s clocks (`default@1`: the built-in one)' })
  policyId!: string | null;
  @ApiProperty({ type: ClockTermsDto, nullable: true }) responseClock!: ClockTermsDto | null;
  @ApiProperty({ type: ClockTermsDto, nullable: true }) resolutionClock!: ClockTermsDto | null;
  @ApiProperty(NULLABLE_INSTANT) responseDueAt!: string | null;
  @ApiProperty(NULLABLE_INSTANT) resolutionDueAt!: string | null;
  @ApiProperty(NULLABLE_INSTANT) respondedAt!: string | null;
  @ApiProperty() responseDelayed!: boolean;
  @ApiProperty() resolutionDelayed!: boolean;
  @ApiProperty({ type: [Number], description: 'the breach-warning thresholds already written for the response' })
  responseWarned!: number[];
  @ApiProperty({ type: [Number], description: 'the breach-warning thresholds already written for the resolution' })
  resolutionWarned!: number[];
  @ApiProperty(SCHEDULE) responseEscalation!: EscalationScheduleDto | null;
  @ApiProperty(SCHEDULE) resolutionEscalation!: EscalationScheduleDto | null;
  @ApiProperty({ description: 'time on hold in this cycle, already added to the due times' }) pausedSeconds!: number;
  @ApiProperty({ type: [HoldSpanDto], description: 'the cycle’s finished holds, in order' }) holds!: HoldSpanDto[];
}

class LastCloseDto {
  @ApiProperty(INSTANT) closedAt!: string;
  @ApiProperty(NULLABLE_TEXT) userId!: string | null;
  @ApiProperty() unitId!: string;
  @ApiProperty({ enum: ['resolved', 'not_resolved', 'duplicate', 'cancelled'] }) resolution!: string;
  @ApiProperty() requestMet!: boolean;
  @ApiProperty() surveyed!: boolean;
}

class CountsDto {
  @ApiProperty() routes!: number;
  @ApiProperty() responses!: number;
  @ApiProperty() reopens!: number;
  @ApiProperty() closes!: number;
  @ApiProperty() surveys!: number;
}

export class TicketViewDto {
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty({ description: 'revision of the last event folded: the value for If-Match' }) revision!: number;
  @ApiProperty({ enum: ['in_pool', 'in_progress', 'on_hold', 'closed'] }) status!: string;
  @ApiProperty({ description: 'the pool’s unit, the holder’s unit, or the closing unit' }) unitId!: string;
  @ApiProperty(NULLABLE_TEXT) holder!: string | null;
  @ApiProperty() channel!: string;
  @ApiProperty() customer!: string;
  @ApiProperty(NULLABLE_TEXT) customerTier!: string | null;
  @ApiProperty() category!: string;
  @ApiProperty() priority!: string;
  @ApiProperty(NULLABLE_TEXT) product!: string | null;
  @ApiProperty() subject!: string;
  @ApiProperty() calendarId!: string;
  @ApiProperty(INSTANT) openedAt!: string;
  @ApiProperty(INSTANT) lastOccurredAt!: string;
  @ApiProperty() escalationLevel!: number;
  @ApiProperty({ type: HoldDto, nullable: true }) hold!: HoldDto | null;
  @ApiProperty({ type: PoolWaitDto, nullable: true }) poolWait!: PoolWaitDto | null;
  @ApiProperty({ type: CycleDto }) cycle!: CycleDto;
  @ApiProperty({ type: LastCloseDto, nullable: true }) lastClose!: LastCloseDto | null;
  @ApiProperty({ type: CountsDto }) counts!: CountsDto;
}

class LogEntryDto {
  @ApiProperty() revision!: number;
  @ApiProperty({ description: 'global position (opaque, ordered)', example: '812:1045' }) position!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'TicketClaimed' }) type!: string;
  @ApiProperty({ ...NULLABLE_INSTANT, description: 'business time; null only for an event this build cannot decode' }) occurredAt!:
    string | null;
  @ApiProperty({ ...INSTANT, description: 'when the store committed it' }) recordedAt!: string;
  @ApiProperty({
    description: 'false: this build cannot read the event (unknown type or schema version); data and metadata are shown as stored',
  })
  decodable!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'eventId, commandId, commandType, correlationId, causationId, actor { kind user|service|system, userId, service, apiKeyId }, ' +
      'occurredAt, schemaVersion',
  })
  metadata!: Record<string, unknown>;
}

export class TicketLogDto {
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty({ description: 'the stream’s last revision' }) revision!: number;
  @ApiProperty({ type: [LogEntryDto] }) events!: LogEntryDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'pass as fromRevision for the next page; null at the end' })
  nextFromRevision!: number | null;
}

export class TicketStateAtDto {
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty(INSTANT) at!: string;
  @ApiProperty({ description: 'the last event folded (occurredAt ≤ at)' }) revision!: number;
  @ApiProperty({ type: TicketViewDto }) state!: TicketViewDto;
}
