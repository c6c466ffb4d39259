import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional } from 'class-validator';
import { KPI_BUCKETS, KPI_GROUPS, type KpiBucket, type KpiGroup } from '#projections/tickets/reports/kpi-summary/kpi-summary.sql.js';
import { ReportTimeQuery } from '../report-time.dto.js';

export class KpiSummaryQuery extends ReportTimeQuery {
  @ApiPropertyOptional({
    description: 'Dimensions to group by, comma-separated (the ticket as of asOf: unit/user = current holder, or the last close’s)',
    example: 'unit',
    type: String,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== '')
      : value,
  )
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(KPI_GROUPS.length)
  @IsIn(KPI_GROUPS, { each: true, message: `each groupBy dimension must be one of ${KPI_GROUPS.join(', ')}` })
  groupBy?: KpiGroup[];

  @ApiPropertyOptional({
    enum: KPI_BUCKETS,
    description: 'Bucket the opening instant in the time zone (week: ISO, from Monday). Default: the whole period.',
  })
  @IsOptional()
  @IsIn(KPI_BUCKETS)
  bucket?: KpiBucket;
}
