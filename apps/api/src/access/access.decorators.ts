import { SetMetadata, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiErrors } from '../platform/errors/api-errors.decorator.js';
import type { Role } from '#platform';

/** Marks an endpoint (or controller) that needs no API key: only /health. */
export const PUBLIC_ENDPOINT = 'access:public';
export const Public = () => SetMetadata(PUBLIC_ENDPOINT, true);

/** The roles of which a key needs one (admin always passes); without it any valid key may call. */
export const RequiredRoles = Reflector.createDecorator<Role[]>();

/** `@Roles('analyst', 'auditor')`: the endpoint needs one of these roles (admin always may); its 401/403/429 are documented in OpenAPI. */
export function Roles(...roles: Role[]): MethodDecorator & ClassDecorator {
  return applyDecorators(RequiredRoles(roles), ApiErrors({}));
}

/**
 * A read that the dashboard's session cookie may make (the reports, a ticket's detail and its
 * events): every other endpoint refuses a session with 403 SESSION_READ_ONLY (api-key.guard.ts).
 */
export const SESSION_READABLE = 'access:session-readable';
export const SessionReadable = () => SetMetadata(SESSION_READABLE, true);
