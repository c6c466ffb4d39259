import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { ROLES, type Role } from '#platform';

export class SignInDto {
  @ApiProperty({ description: 'An API key with the analyst (or admin) role; exchanged once for the session cookie, never stored.' })
  @IsString()
  @Length(1, 200)
  key!: string;
}

export class DashboardSessionDto {
  @ApiProperty({ example: 'analyst-deniz', description: 'The name of the key signed in with.' })
  name!: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  roles!: Role[];

  @ApiProperty({ format: 'date-time', description: 'The session is refused from this instant on; sign in again then.' })
  expiresAt!: string;

  @ApiProperty({ example: 'Europe/Istanbul', description: 'REPORTING_TIME_ZONE: the zone the dashboard cuts days, weeks and months in.' })
  timeZone!: string;
}
