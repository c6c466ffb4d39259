import { SetMetadata, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from './roles.js';

/** Marks an endpoint (or controller) that needs no API key: only /health. */
export const PUBLIC_ENDPOINT = 'access:public';
export const Public = () => SetMetadata(PUBLIC_ENDPOINT, true);

/** The roles of which a key needs one (admin always passes); without it any valid key may call. */
export const RequiredRoles = Reflector.createDecorator<Role[]>();

/** `@Roles('analyst', 'auditor')`: the endpoint needs one of these roles; documented in OpenAPI too. */
export function Roles(...roles: Role[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    RequiredRoles(roles),
    ApiUnauthorizedResponse({ description: 'No API key, or an unknown or revoked one (UNAUTHENTICATED).' }),
    ApiForbiddenResponse({ description: `The key has none of the roles ${roles.join(', ')} (FORBIDDEN_ROLE); admin always may.` }),
  );
}
