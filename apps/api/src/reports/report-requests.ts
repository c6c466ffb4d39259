import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock } from '#platform';
import { immediateProjectionWait, PROJECTION_WAIT, type ProjectionWait } from './projection-wait.js';
import { REPORT_SESSIONS, type ReportSession, type ReportSessions } from './report-database.js';
import type { ReportWindowQuery } from './report-window.dto.js';
import type { ReportWindow } from '#read-model/reports/report-statement.js';
import { resolveReportWindow } from './report-window.js';

/** What every report request does around its statement. */
@Injectable()
export class ReportRequests {
  private readonly projections: ProjectionWait;

  constructor(
    @Inject(REPORT_SESSIONS) private readonly sessions: ReportSessions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    // Bound by the projection runner's global module; absent, nothing is waited for.
    @Optional() @Inject(PROJECTION_WAIT) projections?: ProjectionWait,
  ) {
    this.projections = projections ?? immediateProjectionWait;
  }

  /**
   * Waits for `minPosition` (holding no connection), takes a report connection (503
   * REPORTS_BUSY when none frees up in time), fixes the window (400 beyond REPORT_MAX_DAYS) and
   * runs `answer` with both. The connection is held until `answer` resolves: until the
   * streamed answer is sent, or the client has gone.
   */
  async run<T>(query: ReportWindowQuery, answer: (session: ReportSession, window: ReportWindow) => Promise<T>): Promise<T> {
    if (query.minPosition !== undefined) await this.projections.wait(query.minPosition);
    return this.sessions.run(async (session) => {
      const window = await resolveReportWindow(session, query, this.clock.now(), this.config.reportingTimeZone, this.config.reports.maxDays);
      return answer(session, window);
    });
  }
}
