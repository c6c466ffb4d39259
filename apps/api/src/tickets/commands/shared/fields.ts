import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** Ids of units, users, customers, categories: short, printable, no spaces. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._:@\-/]*$/;

export function IdField(description: string, example: string, optional = false): PropertyDecorator {
  return applyDecorators(
    optional ? ApiPropertyOptional({ description, example }) : ApiProperty({ description, example }),
    ...(optional ? [IsOptional()] : []),
    IsString(),
    IsNotEmpty(),
    MaxLength(128),
    Matches(ID, { message: '$property must be an id: letters, digits and . _ : @ - / without spaces' }),
  );
}

export function TextField(description: string, example: string, maxLength: number, optional = false): PropertyDecorator {
  return applyDecorators(
    optional ? ApiPropertyOptional({ description, example, maxLength }) : ApiProperty({ description, example, maxLength }),
    ...(optional ? [IsOptional()] : []),
    IsString(),
    IsNotEmpty(),
    MaxLength(maxLength),
  );
}
