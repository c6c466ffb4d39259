import { ApiProperty } from '@nestjs/swagger';

class AppendedEventDto {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'TicketClaimed' }) type!: string;
  @ApiProperty() revision!: number;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
}

/** OpenAPI shape of every command's answer. */
export class TicketCommandResultDto {
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty({ format: 'uuid', description: 'Derived from the Idempotency-Key when one is sent' }) commandId!: string;
  @ApiProperty({ description: "Revision of the stream's last event after the command (use as If-Match)" }) revision!: number;
  @ApiProperty({
    description: 'Global position of the last appended event: an opaque, ordered string (pass as minPosition to reports)',
    example: '812:1045',
  })
  position!: string;
  @ApiProperty({ type: [AppendedEventDto] }) events!: AppendedEventDto[];
  @ApiProperty({ description: 'True when the command had already been applied (a retry): nothing new was written' }) replayed!: boolean;
}
