import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUrl, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { DELIVERY_STATUSES, type DeliveryStatus } from '#automation';
import { NOTIFICATION_KINDS } from '#projections/notifications/notification-kinds.js';

export const MAX_NOTIFICATION_PAGE = 500;
const KIND_ALTERNATIVES = NOTIFICATION_KINDS.map((kind) => kind.replace('.', '\\.')).join('|');
/** `kinds` of the event stream: one kind or several, comma-separated. */
const KIND_LIST = new RegExp(`^(${KIND_ALTERNATIVES})(,(${KIND_ALTERNATIVES}))*$`);

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://crm.example.com/hooks/bildirim', description: 'Where notifications are POSTed: an http or https URL.' })
  @IsString()
  @Length(1, 2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http or https URL' })
  url!: string;

  @ApiPropertyOptional({ enum: NOTIFICATION_KINDS, isArray: true, description: 'The kinds it receives; absent or empty: all.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(NOTIFICATION_KINDS.length)
  @IsIn(NOTIFICATION_KINDS, { each: true, message: `each kind must be one of ${NOTIFICATION_KINDS.join(', ')}` })
  kinds?: string[];

  @ApiPropertyOptional({
    description: 'The signing secret (16 to 200 characters without spaces); absent: one is generated. Either way it is answered once.',
  })
  @IsOptional()
  @IsString()
  @Length(16, 200)
  @Matches(/^\S+$/, { message: 'secret must not contain spaces' })
  secret?: string;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS, isArray: true, description: 'Empty: all kinds.' }) kinds!: string[];
  @ApiProperty() active!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'The admin key that created it.' }) createdBy!: string;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({ description: 'The signing secret: shown in this answer only.' }) secret!: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto] }) webhooks!: WebhookDto[];
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid' }) webhookId!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: DeliveryStatus;
  @ApiProperty({ description: 'Requests sent since it was (re)queued.' }) attempts!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When a pending delivery is sent next.' })
  nextAttemptAt!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The HTTP status of the last answer.' }) lastStatus!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed.' }) lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt!: string | null;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid', description: 'The event’s id; the Idempotency-Key of its webhook requests.' }) id!: string;
  @ApiProperty({ description: 'Order in the outbox; the SSE event id.' }) seq!: number;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind!: string;
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty({ type: String, nullable: true }) unitId!: string | null;
  @ApiProperty({ type: String, nullable: true }) userId!: string | null;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ description: 'The event’s position in the event log.' }) position!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The event’s data plus ticketId, occurredAt and eventId; ticket.closed also carries the customer.',
  })
  payload!: Record<string, unknown>;
}

export class NotificationWithDeliveriesDto extends NotificationDto {
  @ApiProperty({ type: [DeliveryDto] }) deliveries!: DeliveryDto[];
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationWithDeliveriesDto] }) notifications!: NotificationWithDeliveriesDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next (older) page; null on the last.' })
  nextCursor!: string | null;
}

export class NotificationListQuery {
  @ApiPropertyOptional({
    enum: DELIVERY_STATUSES,
    description: 'Only notifications with a delivery in this status (dead: the dead letters).',
  })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ enum: NOTIFICATION_KINDS })
  @IsOptional()
  @IsIn(NOTIFICATION_KINDS)
  kind?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  ticketId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only notifications with a delivery to this webhook (with status: in that status).' })
  @IsOptional()
  @IsUUID('all')
  webhookId?: string;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: MAX_NOTIFICATION_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_NOTIFICATION_PAGE)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page.' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,17}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

export class RedeliverQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the delivery to this webhook (created if it had none).' })
  @IsOptional()
  @IsUUID('all')
  webhookId?: string;
}

export class EventStreamQuery {
  @ApiPropertyOptional({
    description: `Comma-separated kinds (${NOTIFICATION_KINDS.join(', ')}); absent: all.`,
    example: 'ticket.delayed,ticket.routed',
  })
  @IsOptional()
  @Matches(KIND_LIST, {
    message: `kinds must be a comma-separated list of ${NOTIFICATION_KINDS.join(', ')}`,
  })
  kinds?: string;

  @ApiPropertyOptional({ description: 'Only notifications concerning this unit.', example: 'billing' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  unitId?: string;
}
