import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TerminusModule } from '@nestjs/terminus';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { EVENT_STORE } from '#event-store';
import { HttpErrorFilter } from '../errors/http-error.filter.js';
import { JsonLogger } from '#platform';
import { HealthController } from './health.controller.js';

describe('GET /health', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
  });

  async function health(
    eventStorePing: () => Promise<void>,
    databaseQuery: () => Promise<unknown> = async () => [{ '?column?': 1 }],
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const moduleRef = await Test.createTestingModule({
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        { provide: DataSource, useValue: { query: databaseQuery } },
        { provide: EVENT_STORE, useValue: { ping: eventStorePing } },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new HttpErrorFilter(new JsonLogger('silent')));
    await app.listen(0);
    const { port } = app.getHttpServer().address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('is 200 when the database and the event store answer', async () => {
    const answer = await health(async () => undefined);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, eventStore: { status: 'up' } } });
  });

  it('is 200 degraded, with the failing part named, when the database answers but the event store does not', async () => {
    const answer = await health(async () => {
      throw new Error('connection refused');
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: 'degraded',
      info: { database: { status: 'up' } },
      error: { eventStore: { status: 'down', message: 'connection refused' } },
      details: { database: { status: 'up' }, eventStore: { status: 'down', message: 'connection refused' } },
    });
  });

  it('is 503 when the database does not answer', async () => {
    const answer = await health(
      async () => undefined,
      async () => {
        throw new Error('the database system is shutting down');
      },
    );
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      details: { status: 'error', error: { database: { status: 'down' } } },
    });
  });
});
