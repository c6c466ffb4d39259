import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '#platform';

export class ApiKeyDto {
  @ApiProperty({ example: '3f9a1c0b7d2e' })
  id!: string;

  @ApiProperty({ example: 'call-centre', description: 'Who calls with this key (the calling service).' })
  name!: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  roles!: Role[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ example: 'cli', description: 'The admin key id that created it, cli, first-start or ADMIN_API_KEY.' })
  createdBy!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  revokedAt!: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ example: 'bk_3f9a1c0b7d2e_…', description: 'The key. Shown only in this answer: it is stored as a hash.' })
  key!: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] })
  keys!: ApiKeyDto[];
}
