import { Controller, Delete, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../access.decorators.js';
import { ApiKeys, type ApiKeyView } from '../api-keys.js';
import { ApiKeyDto } from '../api-key.dto.js';

@ApiTags('admin: API keys')
@Controller('admin/api-keys')
export class RevokeApiKeyController {
  constructor(private readonly apiKeys: ApiKeys) {}

  @Delete(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Revoke an API key: it is refused (401) from now on; revoking again answers the same' })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiNotFoundResponse({ description: 'API_KEY_NOT_FOUND' })
  revoke(@Param('id') id: string): Promise<ApiKeyView> {
    return this.apiKeys.revoke(id);
  }
}
