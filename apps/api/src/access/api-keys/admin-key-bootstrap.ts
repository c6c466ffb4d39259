import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, JsonLogger, ApiKeys, type AdminKeyOutcome } from '#platform';

/** Makes sure an admin can get in on start-up (DESIGN.md §10); the outcome goes into the start-up banner. */
@Injectable()
export class AdminKeyBootstrap implements OnApplicationBootstrap {
  private result: AdminKeyOutcome | undefined;

  constructor(
    private readonly apiKeys: ApiKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: JsonLogger,
  ) {}

  get outcome(): AdminKeyOutcome {
    if (!this.result) throw new Error('the admin key bootstrap has not run yet');
    return this.result;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.result = await this.apiKeys.ensureAdminKey(this.config.adminApiKey);
    switch (this.result.kind) {
      case 'from-env':
        if (this.result.changed) this.logger.info('ADMIN_API_KEY is stored (hashed) as an active admin key', { apiKeyId: this.result.id });
        return;
      case 'created':
        // The key itself goes to the console banner only, never into the structured log.
        this.logger.info('created the first admin API key; it is printed once on the console', { apiKeyId: this.result.created.id });
        return;
      case 'present':
        return;
    }
  }
}
