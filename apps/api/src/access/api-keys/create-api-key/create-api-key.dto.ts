import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsString, Length, Matches } from 'class-validator';
import { ROLES, type Role } from '#platform';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'call-centre', description: 'Who will call with the key, usually the calling service.' })
  @IsString()
  @Length(1, 100)
  @Matches(/^[^\s].*[^\s]$|^[^\s]$/, { message: 'name must not start or end with spaces' })
  name!: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['service'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true, message: `each role must be one of ${ROLES.join(', ')}` })
  roles!: Role[];
}
