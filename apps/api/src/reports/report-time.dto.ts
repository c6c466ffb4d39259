import { ApiPropertyOptional, type SchemaObject } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { REPORT_TIMES, type ReportTime } from '#projections/tickets/reports/report-time.js';
import { ReportWindowQuery } from './report-window.dto.js';

/** The window, and which seconds the duration figures are in: the query of every report with ticket measures. */
export class ReportTimeQuery extends ReportWindowQuery {
  @ApiPropertyOptional({
    enum: REPORT_TIMES,
    default: 'calendar',
    description:
      'Duration figures (FRT, TRT, TFS, TTC, TAT, AHT) in calendar seconds, or in business seconds: the working time of the ' +
      'calendar of each measure’s SLA clock, never time on hold (docs/kpis.md "Business time"); a ticket with no policy has ' +
      'no business measure (counted as missing). Reports without duration figures answer the same either way. ' +
      'The answer says which (`time`; CSV: the Report-Time header).',
  })
  @IsOptional()
  @IsIn(REPORT_TIMES, { message: `time must be one of ${REPORT_TIMES.join(', ')}` })
  time?: ReportTime;
}

/** The answer's `time` field (the JSON head) and its schema. */
export const TIME_HEAD: Record<'time', SchemaObject> = { time: { type: 'string', enum: [...REPORT_TIMES] } };

/** Which seconds the answer's durations are in: the JSON head's field and the CSV's header. */
export function timeOf(query: ReportTimeQuery): { time: ReportTime; head: { time: ReportTime }; csvHeaders: Record<string, string> } {
  const time = query.time ?? 'calendar';
  return { time, head: { time }, csvHeaders: { 'Report-Time': time } };
}
