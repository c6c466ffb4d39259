import { Module } from '@nestjs/common';
import { BacklogController } from './backlog/backlog.controller.js';
import { KpiSummaryController } from './kpi-summary/kpi-summary.controller.js';
import { reportSessionsProvider } from './report-database.js';
import { ReportRequests } from './report-requests.js';
import { TicketListController } from './ticket-list/ticket-list.controller.js';
import { TopCategoriesController } from './top-categories/top-categories.controller.js';
import { UnitPerformanceController } from './unit-performance/unit-performance.controller.js';

/**
 * The analysts' reports (KPIS.md): SQL over the `analytics` views on the report pool
 * (REPORT_POOL), JSON or CSV streamed as read, roles analyst and admin. For `minPosition` it
 * injects PROJECTION_WAIT if a global module binds it (the projection runner), else waits for
 * nothing.
 */
@Module({
  controllers: [UnitPerformanceController, TicketListController, TopCategoriesController, KpiSummaryController, BacklogController],
  providers: [reportSessionsProvider, ReportRequests],
  exports: [ReportRequests],
})
export class ReportsModule {}
