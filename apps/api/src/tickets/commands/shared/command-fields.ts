import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy, type ValidationOptions } from 'class-validator';
import { isInstant } from '#ticketing';

/** An ISO-8601 date-time with Z or a UTC offset: without one, "09:00" would be read as UTC, hours off. */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isInstant(value),
        defaultMessage: () =>
          '$property must be an ISO-8601 instant with Z or a UTC offset, e.g. 2026-11-20T09:15:00Z or 2026-11-20T12:15:00+03:00',
      },
    },
    options,
  );
}

/** Fields every ticket command accepts. */
export class CommandFields {
  @ApiPropertyOptional({
    description:
      'When it happened: an ISO-8601 instant with Z or a UTC offset. Default: now. ' +
      'Any key may state up to 5 minutes back and a few seconds ahead (CLOCK_SKEW); ' +
      'only importer and admin keys may backdate further, never before EARLIEST_OCCURRED_AT.',
    example: '2026-11-20T09:15:00.000Z',
    format: 'date-time',
  })
  @IsOptional()
  @IsInstant()
  occurredAt?: string;
}
