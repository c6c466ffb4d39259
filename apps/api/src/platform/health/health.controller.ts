import { Controller, Get, Inject } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { ApiOkResponse, ApiOperation, ApiTags, type SchemaObject } from '@nestjs/swagger';
import { ApiErrors } from '../errors/api-errors.decorator.js';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '#event-store';
import { Public } from '../../access/access.decorators.js';

const CHECK_TIMEOUT_MS = 3000;

const INDICATORS: SchemaObject = {
  type: 'object',
  description: 'per check (database, eventStore): { status: up | down, message? }',
  additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] } }, additionalProperties: true },
};

/** @nestjs/terminus's answer; a 503 carries the same in the error body's details. */
const HEALTH: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: {
    status: {
      type: 'string',
      enum: ['ok', 'degraded'],
      description: 'degraded: the database answers but the event store does not (commands answer 503, reports still answer)',
    },
    info: INDICATORS,
    error: INDICATORS,
    details: INDICATORS,
  },
};

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({
    summary:
      'The database and the event store answer: 200 ok; the database answers but the event store does not: 200 degraded; ' +
      'the database does not: 503 with details (no API key needed)',
    security: [],
  })
  @ApiOkResponse({ schema: HEALTH })
  @ApiErrors({ 503: ['SERVICE_UNAVAILABLE'] }, { public: true })
  async check(): Promise<HealthCheckResult | DegradedHealth> {
    // Without the database nothing answers: terminus's 503. Without the event store (EventStoreDB
    // restarting, a leader election) reports and audits of the read models still answer, and
    // commands answer 503 EVENT_STORE_UNAVAILABLE until it is back: the instance is degraded, not down.
    const database = await this.health.check([
      () =>
        this.indicators
          .check('database')
          .attempt(async () => {
            await this.dataSource.query('SELECT 1');
          })
          .withTimeout(CHECK_TIMEOUT_MS),
    ]);
    const eventStore = await this.indicators
      .check('eventStore')
      .attempt(() => this.eventStore.ping())
      .withTimeout(CHECK_TIMEOUT_MS);
    const up = eventStore.eventStore.status === 'up';
    return {
      status: up ? 'ok' : 'degraded',
      info: { ...database.info, ...(up ? eventStore : {}) },
      error: up ? {} : eventStore,
      details: { ...database.details, ...eventStore },
    };
  }
}

interface DegradedHealth {
  status: 'ok' | 'degraded';
  info: HealthIndicatorResult;
  error: HealthIndicatorResult;
  details: HealthIndicatorResult;
}
