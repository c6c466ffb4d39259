import { Body, Controller, Delete, Get, Inject, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Webhooks, type CreatedWebhook, type WebhookView } from '#automation';
import { Roles } from '#api/access/access.decorators.js';
import { ApiErrors, BODY_ERRORS } from '#api/platform/errors/api-errors.decorator.js';
import { ApiError, CLOCK, requestContext, type Clock } from '#platform';
import { CreatedWebhookDto, CreateWebhookDto, WebhookDto, WebhookListDto } from './notifications.dto.js';
import { requireUuid } from './uuid-param.js';

/**
 * Webhooks for admins (issue 11): configuration like API keys, so a table and not events. The
 * secret is answered once, at creation; lists never show it.
 */
@ApiTags('admin: webhooks')
@Controller('admin/webhooks')
export class WebhooksAdminController {
  constructor(
    private readonly webhooks: Webhooks,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary:
      'Register a webhook: from now on every notification of its kinds is POSTed to it, signed (Bildirim-Signature). ' +
      'The secret is in this answer only',
  })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiErrors(BODY_ERRORS)
  create(@Body() body: CreateWebhookDto): Promise<CreatedWebhook> {
    return this.webhooks.create(
      { url: body.url, kinds: body.kinds ?? [], secret: body.secret },
      this.clock.now(),
      requestContext().caller?.apiKeyId ?? 'unknown',
    );
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'The webhooks, oldest first, without their secrets' })
  @ApiOkResponse({ type: WebhookListDto })
  async list(): Promise<{ webhooks: WebhookView[] }> {
    return { webhooks: await this.webhooks.list() };
  }

  @Delete(':id')
  @Roles('admin')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Remove a webhook and its deliveries: nothing more is sent to it, pending retries included' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiErrors({ 404: ['WEBHOOK_NOT_FOUND'] })
  async remove(@Param('id') id: string): Promise<WebhookView> {
    const removed = await this.webhooks.delete(requireUuid('id', id));
    if (!removed) throw new ApiError('WEBHOOK_NOT_FOUND', `No webhook ${id}.`, 'not_found');
    return removed;
  }
}
