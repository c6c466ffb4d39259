import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class UnitParams {
  @ApiProperty({ description: 'The unit', example: 'billing' })
  @IsString()
  @Length(1, 200)
  unit!: string;
}
