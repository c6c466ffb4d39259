import { ApiProperty } from '@nestjs/swagger';

export class ProjectionVersionStatusDto {
  @ApiProperty({ example: 'event_counts' })
  name!: string;

  @ApiProperty({ description: 'Physical version: its tables are projections.<table>_v<version>', example: 2 })
  version!: number;

  @ApiProperty({ description: 'Version of the projection code that builds it (differs from version after a cli rebuild)', example: 2 })
  definitionVersion!: number;

  @ApiProperty({
    enum: ['building', 'live', 'retired'],
    description: 'live: the analytics views read it; building: catching up beside the live one; retired: replaced',
  })
  state!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Event-store position read up to (opaque; null before the first batch)',
    example: '48213:1532',
  })
  position!: string | null;

  @ApiProperty({ description: 'Events of its types read from the event store into committed batches' })
  eventsSeen!: number;

  @ApiProperty({ description: 'Events applied by its handler in committed batches' })
  eventsApplied!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Events of its types after the checkpoint, counted up to 10,000 ' +
      '(then lagEventsExact is false and this is a lower bound); null when retired',
  })
  lagEvents!: number | null;

  @ApiProperty({ description: 'false when lagEvents stopped counting at the limit' })
  lagEventsExact!: boolean;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Seconds since the oldest unapplied event was recorded; 0 when caught up; null when retired or unknown',
  })
  lagSeconds!: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the store recorded the last event applied' })
  lastEventRecordedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', description: 'When the checkpoint last moved or changed state' })
  updatedAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  liveSince!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  retiredAt!: Date | null;

  @ApiProperty({ type: [String], description: 'Its physical tables', example: ['projections.event_type_counts_v2'] })
  tables!: string[];
}

export class ProjectionsStatusDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Position of the last event visible in the event store now (null: empty store)',
  })
  head!: string | null;

  @ApiProperty({ enum: ['inline', 'off'], description: 'Whether this API process runs the projections itself (PROJECTIONS)' })
  mode!: string;

  @ApiProperty({ type: [ProjectionVersionStatusDto], description: 'Every version of every projection, by name and version' })
  projections!: ProjectionVersionStatusDto[];
}
