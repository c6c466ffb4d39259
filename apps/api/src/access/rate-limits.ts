import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, ApiError } from '#platform';
import { TokenBuckets } from './token-buckets.js';

/**
 * Abuse limits (per process): requests per API key, and failed authentications per client
 * address — once an address has spent its failures, every authentication from it waits, a
 * valid key's too, or a guesser would learn which key is valid from which one is let through.
 */
@Injectable()
export class RateLimits {
  private readonly perKey: TokenBuckets | undefined;
  private readonly failuresPerAddress: TokenBuckets | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const perSecond = config.rateLimitPerSecond;
    this.perKey = perSecond > 0 ? new TokenBuckets({ capacity: perSecond, perSecond }) : undefined;
    const failures = config.authFailuresPerMinute;
    this.failuresPerAddress = failures > 0 ? new TokenBuckets({ capacity: failures, perSecond: failures / 60 }) : undefined;
  }

  /** Before authenticating: refuses an address that has spent its failed authentications. */
  checkAddress(address: string): void {
    const wait = this.failuresPerAddress?.wait(address);
    if (wait !== undefined) {
      throw new ApiError(
        'TOO_MANY_FAILED_AUTHENTICATIONS',
        `Too many failed authentications from this address; try again in ${wait} s.`,
        'rate_limited',
        {
          retryAfterSeconds: wait,
        },
      );
    }
  }

  recordFailure(address: string): void {
    this.failuresPerAddress?.take(address);
  }

  /** After authenticating: one request of the key's allowance. */
  takeRequest(apiKeyId: string): void {
    const wait = this.perKey?.take(apiKeyId);
    if (wait !== undefined) {
      throw new ApiError(
        'RATE_LIMITED',
        `This API key sent more requests per second than it may; try again in ${wait} s.`,
        'rate_limited',
        {
          retryAfterSeconds: wait,
        },
      );
    }
  }
}
