import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock } from '#platform';
import { immediateProjectionWait, PROJECTION_WAIT, type ProjectionWait } from './projection-wait.js';
import { answerReport, type ReportEndpoint } from './report-answer.js';
import { REPORT_SESSIONS, type ReportSessions } from './report-database.js';
import type { ReportWindowQuery } from './report-window.dto.js';
import { resolveReportWindow } from './report-window.js';

/** What every report request does: the one answer helper the report controllers call. */
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
   * REPORTS_BUSY when none frees up in time), fixes the window (400 beyond REPORT_MAX_DAYS),
   * runs the report's statement and streams its rows as JSON or CSV (`accept`). The connection
   * is held until the answer is sent, or the client has gone.
   */
  async answer<Row extends object>(
    query: ReportWindowQuery,
    accept: string | undefined,
    res: Response,
    report: ReportEndpoint<Row>,
  ): Promise<void> {
    if (query.minPosition !== undefined) await this.projections.wait(query.minPosition);
    await this.sessions.run(async (session) => {
      const window = await resolveReportWindow(
        session,
        query,
        this.clock.now(),
        this.config.reportingTimeZone,
        this.config.reports.maxDays,
      );
      await answerReport(session, window, accept, res, report);
    });
  }
}
