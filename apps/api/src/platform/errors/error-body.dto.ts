import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ description: 'Dotted path of the field (`subject`, `events.0.type`), or the query/path parameter', example: 'subject' })
  field!: string;

  @ApiProperty({ type: [String], example: ['subject must not contain NUL characters'] })
  messages!: string[];
}

/** OpenAPI shape of every error answer (`HttpErrorBody`). */
export class ErrorBodyDto {
  @ApiProperty({ description: 'The HTTP status, repeated', example: 409 })
  statusCode!: number;

  @ApiProperty({
    description: 'Stable, machine-readable code; each endpoint lists the codes it may answer',
    example: 'TICKET_ALREADY_CLAIMED',
  })
  code!: string;

  @ApiProperty({ description: 'A sentence for people', example: 'The ticket is already claimed by deniz.' })
  message!: string;

  @ApiPropertyOptional({
    description: 'Facts of the error, e.g. the current revision or the holder',
    type: 'object',
    additionalProperties: true,
  })
  details?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'VALIDATION_FAILED only: every invalid field with its messages', type: [FieldErrorDto] })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({
    description: 'Finds the request in the server log (X-Correlation-Id)',
    example: '1c7f9b3e-2f4d-4d6b-9a51-0f3c2a8b7e60',
  })
  correlationId?: string;
}
