import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type pg from 'pg';
import { EVENT_STORE, type EventStore } from '#event-store';
import { readProjectionStatus } from '#read-model/projections/index.js';
import { Roles } from '../../access/access.decorators.js';
import { CLOCK, type Clock } from '#platform';
import { PROJECTIONS_OPTIONS, PROJECTIONS_POOL } from '../projections.tokens.js';
import type { ProjectionsOptions } from '../projections.module.js';
import { ProjectionsStatusDto } from './projection-status.dto.js';

/** How far each projection has read, and how far behind it is (DESIGN.md §5). */
@ApiTags('projections')
@Controller('projections')
export class ListProjectionsController {
  constructor(
    @Inject(PROJECTIONS_POOL) private readonly pool: pg.Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PROJECTIONS_OPTIONS) private readonly options: ProjectionsOptions,
  ) {}

  @Get()
  @Roles('analyst', 'auditor')
  @ApiOperation({
    summary: 'Every projection version: state, position, events seen and applied, lag in events and seconds',
    description:
      'The lag is measured through the event store: none without a read when the checkpoint has reached the head; ' +
      'otherwise one read of at most 10,000 events of the projection’s types after its checkpoint ' +
      '(so a lag beyond that is a lower bound, lagEventsExact false).',
  })
  @ApiOkResponse({ type: ProjectionsStatusDto })
  async list(): Promise<ProjectionsStatusDto> {
    const [head, projections] = await Promise.all([
      this.store.headPosition(),
      readProjectionStatus(this.pool, this.store, this.clock.now()),
    ]);
    return { head: head ?? null, mode: this.options.mode, projections };
  }
}
