import { Module } from '@nestjs/common';
import { ReferenceAdminController } from './reference-admin.controller.js';

/** Reference data for admins (issue 10). ReferenceStore, CLOCK and the DataSource come from the platform module. */
@Module({ controllers: [ReferenceAdminController] })
export class ReferenceModule {}
