import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

/** Fields every ticket command accepts. */
export class CommandFields {
  @ApiPropertyOptional({
    description:
      'When it happened (ISO-8601). Default: now. Only importer and admin keys may state an instant more than 5 minutes in the past; nobody may state the future.',
    example: '2026-11-20T09:15:00.000Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  occurredAt?: string;
}
