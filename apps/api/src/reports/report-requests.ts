import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CLOCK, type Clock } from '../platform/clock.js';
import { immediateProjectionWait, PROJECTION_WAIT, type ProjectionWait } from './projection-wait.js';
import { REPORT_DATABASE, type ReportDatabase } from './report-database.js';
import type { ReportWindowQuery } from './report-window.dto.js';
import { resolveReportWindow, type ReportWindow } from './report-window.js';

/** What every report request does first: wait for `minPosition`, then fix its window. */
@Injectable()
export class ReportRequests {
  private readonly projections: ProjectionWait;

  constructor(
    @Inject(REPORT_DATABASE) readonly db: ReportDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    // Bound by the projection runner's global module; absent, nothing is waited for.
    @Optional() @Inject(PROJECTION_WAIT) projections?: ProjectionWait,
  ) {
    this.projections = projections ?? immediateProjectionWait;
  }

  async window(query: ReportWindowQuery): Promise<ReportWindow> {
    if (query.minPosition !== undefined) await this.projections.wait(query.minPosition);
    return resolveReportWindow(this.db, query, this.clock.now(), this.config.reportingTimeZone);
  }
}
