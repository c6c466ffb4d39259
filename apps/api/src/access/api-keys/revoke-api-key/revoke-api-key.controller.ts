import { Controller, Delete, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS } from '#api/platform/errors/api-errors.decorator.js';
import { Roles } from '../../access.decorators.js';
import { ApiKeys, type ApiKeyView } from '#platform';
import { ApiKeyDto } from '../api-key.dto.js';

@ApiTags('admin: API keys')
@Controller('admin/api-keys')
export class RevokeApiKeyController {
  constructor(private readonly apiKeys: ApiKeys) {}

  @Delete(':id')
  @Roles('admin')
  @ApiOperation({
    summary:
      'Revoke an API key: it is refused (401) from now on; revoking again answers the same. ' +
      'The last active admin key cannot be revoked here (409 LAST_ADMIN_KEY)',
  })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiErrors({ ...BODY_ERRORS, 404: ['API_KEY_NOT_FOUND'], 409: ['LAST_ADMIN_KEY'] })
  revoke(@Param('id') id: string): Promise<ApiKeyView> {
    return this.apiKeys.revoke(id, { keepAnAdmin: true });
  }
}
