import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsTimeZone, Length } from 'class-validator';

const ISO = { strict: true, strictSeparator: true } as const;

/** The query parameters every report takes: asOf, the period, the time zone, read-your-writes. */
export class ReportWindowQuery {
  @ApiPropertyOptional({
    description:
      'The instant the figures are as of (ISO-8601); events after it do not exist for the report. ' +
      'Without a UTC offset it is local time in `tz`. Default: now.',
    example: '2026-11-20T09:00:00Z',
  })
  @IsOptional()
  @IsISO8601(ISO)
  asOf?: string;

  @ApiPropertyOptional({
    description: 'Start of the period (inclusive). A date is its local midnight in `tz`. Default: the first day of asOf’s month in `tz`.',
    example: '2026-11-08',
  })
  @IsOptional()
  @IsISO8601(ISO)
  from?: string;

  @ApiPropertyOptional({
    description: 'End of the period (exclusive). A date is its local midnight in `tz`. Default: the first day of the next month.',
    example: '2026-11-19',
  })
  @IsOptional()
  @IsISO8601(ISO)
  to?: string;

  @ApiPropertyOptional({
    description: 'IANA time zone for local dates and buckets. Default: REPORTING_TIME_ZONE (Europe/Istanbul).',
    example: 'Europe/Istanbul',
  })
  @IsOptional()
  @IsTimeZone()
  tz?: string;

  @ApiPropertyOptional({
    description:
      'Read-your-writes: the `position` a command answered with, passed as it came (an opaque string, e.g. 812:1045); ' +
      'the report waits until the projections have applied it.',
    example: '812:1045',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  minPosition?: string;
}
