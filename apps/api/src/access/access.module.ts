import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard.js';
import { AdminKeyBootstrap } from './api-keys/admin-key-bootstrap.js';
import { ApiKeys } from '#platform';
import { CreateApiKeyController } from './api-keys/create-api-key/create-api-key.controller.js';
import { ListApiKeysController } from './api-keys/list-api-keys/list-api-keys.controller.js';
import { RateLimits } from './rate-limits.js';
import { DashboardSessions } from '../dashboard/session/dashboard-sessions.js';
import { RevokeApiKeyController } from './api-keys/revoke-api-key/revoke-api-key.controller.js';

/** API keys and the global guard (DESIGN.md §10). */
@Module({
  controllers: [CreateApiKeyController, ListApiKeysController, RevokeApiKeyController],
  providers: [ApiKeys, AdminKeyBootstrap, RateLimits, DashboardSessions, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [ApiKeys, AdminKeyBootstrap, RateLimits, DashboardSessions],
})
export class AccessModule {}
