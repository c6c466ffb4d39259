import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../access.decorators.js';
import { ApiKeys, type ApiKeyView } from '#platform';
import { ApiKeyListDto } from '../api-key.dto.js';

@ApiTags('admin: API keys')
@Controller('admin/api-keys')
export class ListApiKeysController {
  constructor(private readonly apiKeys: ApiKeys) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'List API keys, active and revoked (never their secrets)' })
  @ApiOkResponse({ type: ApiKeyListDto })
  async list(): Promise<{ keys: ApiKeyView[] }> {
    return { keys: await this.apiKeys.list() };
  }
}
