import { Module, type DynamicModule, type ForwardReference, type Type } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AccessModule } from './access/access.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor.js';
import { HttpErrorFilter } from './platform/errors/http-error.filter.js';
import { createValidationPipe } from './platform/errors/validation.js';
import { HealthModule } from './platform/health/health.module.js';
import { PlatformModule, type PlatformOptions } from './platform/platform.module.js';
import { ProjectionsModule, type ProjectionsOptions } from './projections/projections.module.js';
import { ReferenceModule } from './reference/reference.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { TicketsModule } from './tickets/tickets.module.js';

export type ModuleImport = Type | DynamicModule | Promise<DynamicModule> | ForwardReference;

export interface AppModuleOptions extends PlatformOptions {
  /** Extra modules, e.g. a spec's test-only controllers. */
  imports?: ModuleImport[];
  projections: ProjectionsOptions;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(options),
        CqrsModule.forRoot(),
        AccessModule,
        HealthModule,
        TicketsModule,
        ReportsModule,
        ReferenceModule,
        NotificationsModule,
        DashboardModule,
        ...(options.imports ?? []),
        // After the extra modules: Nest takes the first global binding of a token, so a spec's
        // module can stand in for PROJECTION_WAIT.
        ProjectionsModule.forRoot(options.projections),
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
