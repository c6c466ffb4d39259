import { Body, Controller, Module, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min, ValidateNested } from 'class-validator';
import { Roles } from '#api/access/access.decorators.js';
import { Idempotent } from '#api/idempotency/idempotent.decorator.js';
import { requestContext } from '#platform';
import { DomainError } from '#ticketing';

/** Test-only: an idempotent "command" whose runs the spec can count. */
export const probeRuns = { count: 0 };

class ProbeData {
  @IsInt()
  @Min(1)
  @Max(5)
  score!: number;
}

class ProbeDto {
  @IsString()
  name!: string;

  @ValidateNested()
  @Type(() => ProbeData)
  data!: ProbeData;
}

@Controller('test/probes')
class ProbeController {
  @Post()
  @Idempotent()
  @Roles('service')
  async run(@Body() body: ProbeDto): Promise<Record<string, unknown>> {
    probeRuns.count += 1;
    const run = probeRuns.count;
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (body.name === 'reject') throw new DomainError('INVALID_COMMAND', 'The probe says no.', 'rule', { run });
    if (body.name === 'explode') throw new Error('password=hunter2 at 10.0.0.3');
    const context = requestContext();
    return { run, name: body.name, commandId: context.commandId, caller: context.caller?.name, at: new Date(0) };
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
