import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS } from '#api/platform/errors/api-errors.decorator.js';
import { requestContext, ApiKeys, type CreatedApiKey } from '#platform';
import { Roles } from '../../access.decorators.js';
import { CreatedApiKeyDto } from '../api-key.dto.js';
import { CreateApiKeyDto } from './create-api-key.dto.js';

@ApiTags('admin: API keys')
@Controller('admin/api-keys')
export class CreateApiKeyController {
  constructor(private readonly apiKeys: ApiKeys) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create an API key; the key is in this answer only (it is stored hashed)' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiErrors(BODY_ERRORS)
  create(@Body() body: CreateApiKeyDto): Promise<CreatedApiKey> {
    return this.apiKeys.create(body.name, body.roles, requestContext().caller?.apiKeyId ?? 'unknown');
  }
}
