import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles, SessionReadable } from '#api/access/access.decorators.js';
import { RequestValidationError } from '#platform';
import { EventStreamQuery } from './notifications.dto.js';
import { EventStreams } from './event-streams.js';

@ApiTags('reports')
@Controller('events')
export class EventStreamController {
  constructor(private readonly streams: EventStreams) {}

  @Get('stream')
  @Roles('analyst')
  // The dashboard's Live view listens with its session cookie.
  @SessionReadable()
  @ApiOperation({
    summary:
      'Live notifications for dashboards as Server-Sent Events: `id: <seq>`, `event: <kind>`, `data: <notification JSON>`, ' +
      'a comment line every 15 s. From Last-Event-ID when given (what a reconnecting EventSource sends), else from now',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last event received: the stream resumes after it.' })
  @ApiOkResponse({ description: 'An endless text/event-stream.', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  async stream(
    @Query() query: EventStreamQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    if (lastEventId !== undefined && !/^\d{1,18}$/.test(lastEventId.trim())) {
      throw new RequestValidationError([{ field: 'Last-Event-ID', messages: ['Last-Event-ID must be the id of an event of this stream'] }]);
    }
    const after = lastEventId === undefined ? await this.streams.end() : Number(lastEventId.trim());
    this.streams.serve({ after, kinds: query.kinds?.split(',') ?? [], unitId: query.unitId }, response);
  }
}
