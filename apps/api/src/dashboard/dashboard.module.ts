import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { DashboardPageController } from './page/dashboard-page.controller.js';
import { DashboardSessionController } from './session/dashboard-session.controller.js';

/** The analysts' dashboard (issue 15): the page, its sign-in and sign-out; the sessions themselves are checked by the access guard. */
@Module({
  imports: [AccessModule],
  controllers: [DashboardSessionController, DashboardPageController],
})
export class DashboardModule {}
