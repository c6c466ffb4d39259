import { describe, expect, it } from '@jest/globals';
import { isRole, mayCall } from './roles.js';

describe('mayCall', () => {
  it('lets any key call an endpoint that names no roles', () => {
    expect(mayCall(['service'], [])).toBe(true);
  });

  it('needs one of the named roles', () => {
    expect(mayCall(['analyst'], ['analyst', 'auditor'])).toBe(true);
    expect(mayCall(['service', 'importer'], ['analyst', 'auditor'])).toBe(false);
  });

  it('always lets admin in', () => {
    expect(mayCall(['admin'], ['auditor'])).toBe(true);
  });
});

describe('isRole', () => {
  it('knows the five roles only', () => {
    expect(['service', 'importer', 'analyst', 'auditor', 'admin'].every(isRole)).toBe(true);
    expect(isRole('root')).toBe(false);
  });
});
