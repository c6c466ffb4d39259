import { describe, expect, it } from '@jest/globals';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min, ValidateNested } from 'class-validator';
import { RequestValidationError } from '#platform';
import { createValidationPipe, toFieldErrors } from './validation.js';

class SurveyData {
  @IsInt()
  @Min(1)
  @Max(5)
  score!: number;
}

class Line {
  @IsString()
  name!: string;
}

class SurveyBody {
  @ValidateNested()
  @Type(() => SurveyData)
  data!: SurveyData;

  @ValidateNested({ each: true })
  @Type(() => Line)
  lines!: Line[];
}

async function rejection(body: unknown): Promise<RequestValidationError> {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype: SurveyBody });
  } catch (error) {
    if (error instanceof RequestValidationError) return error;
    throw error;
  }
  throw new Error('the body was accepted');
}

describe('the validation pipe', () => {
  it('names nested fields by their dotted path', async () => {
    const error = await rejection({ data: { score: 9 }, lines: [{ name: 'a' }, { name: 3 }] });
    expect(error.errors).toEqual([
      { field: 'data.score', messages: ['score must not be greater than 5'] },
      { field: 'lines.1.name', messages: ['name must be a string'] },
    ]);
  });

  it('refuses unknown fields, also nested ones', async () => {
    const error = await rejection({ data: { score: 3, extra: true }, lines: [], other: 1 });
    expect(error.errors.map((entry) => entry.field).sort()).toEqual(['data.extra', 'other']);
  });

  it('converts accepted bodies to the DTO class', async () => {
    const accepted = await createValidationPipe().transform({ data: { score: 5 }, lines: [] }, { type: 'body', metatype: SurveyBody });
    expect(accepted).toBeInstanceOf(SurveyBody);
  });
});

describe('toFieldErrors', () => {
  it('keeps a field with several failed constraints as one entry', () => {
    expect(toFieldErrors([{ property: 'score', constraints: { min: 'too small', isInt: 'not an integer' }, children: [] }])).toEqual([
      { field: 'score', messages: ['too small', 'not an integer'] },
    ]);
  });
});
