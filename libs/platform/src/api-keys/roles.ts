/** Roles of DESIGN.md §10. `admin` may do everything. */
export const ROLES = ['service', 'importer', 'analyst', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Whether a key with `granted` roles may call an endpoint that needs one of `required` (none: any key). */
export function mayCall(granted: readonly Role[], required: readonly Role[]): boolean {
  return required.length === 0 || granted.includes('admin') || required.some((role) => granted.includes(role));
}
