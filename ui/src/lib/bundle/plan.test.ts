import { describe, expect, it } from 'vitest';
import { changeText, outcomeText, planSummary } from './plan';

describe('the plan in words', () => {
  it('shows a changed field with both values, long ones cut, absent ones named', () => {
    expect(changeText({ field: 'scopes', before: 'openid', after: 'openid email' })).toBe(
      'scopes: openid → openid email',
    );
    expect(changeText({ field: 'issuer', before: null, after: 'https://a' })).toBe(
      'issuer: (none) → https://a',
    );
    const long = changeText({ field: 'claims', before: 'x'.repeat(200), after: 'y' });
    expect(long).toContain(`${'x'.repeat(79)}… → y`);
  });

  it('counts each action and says when secrets come along', () => {
    const item = (action: 'create' | 'conflict') => ({
      kind: 'directory' as const,
      id: action,
      name: action,
      action,
      conflicts: [],
      changes: [],
    });
    expect(
      planSummary({ items: [item('create'), item('conflict')], warnings: [], has_secrets: true }),
    ).toBe('1 new, 0 to update, 0 unchanged, 1 conflict; secrets come along, encrypted.');
    expect(
      outcomeText({ created: 1, updated: 0, deleted: 0, left: 1, secrets_written: 2, notes: [] }),
    ).toBe(
      'Imported: 1 created, 0 updated, 0 deleted, 1 left as it was; 2 secrets written to the keyring.',
    );
  });
});
