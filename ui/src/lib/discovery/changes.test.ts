import { describe, expect, it } from 'vitest';
import { formFromDocument } from '$lib/directories/form';
import { sampleDocument, sampleReport } from '../../test/fixtures';
import { applyChanges, discoveredValues, proposedChanges } from './changes';

describe('proposedChanges', () => {
  it('offers every changed field with its label, the old value and the prefill', () => {
    const changes = proposedChanges(sampleReport());
    expect(changes.map((c) => c.label)).toEqual([
      'Authorization URL',
      'Token URL',
      'Userinfo URL',
      'Issuer',
      'JWKS URI',
    ]);
    expect(changes[0]).toEqual({
      field: 'authorization_url',
      label: 'Authorization URL',
      old: 'https://login.example.com/authorize',
      new: 'https://login.example.com/oauth2/authorize',
    });
    // An empty field is shown as "" rather than null.
    expect(changes[2]?.old).toBe('');
  });

  it('takes the value from the prefill, as the contract says', () => {
    const report = sampleReport({
      changes: [{ field: 'issuer', old: null, new: 'https://a.example' }],
    });
    report.prefill.issuer = 'https://prefill.example';
    expect(proposedChanges(report)).toEqual([
      { field: 'issuer', label: 'Issuer', old: '', new: 'https://prefill.example' },
    ]);
  });

  it('leaves out fields discovery does not fill in and fields that do not change', () => {
    const report = sampleReport({
      changes: [
        { field: 'name', old: 'A', new: 'B' },
        { field: 'jwks_uri', old: null, new: 'https://login.example.com/oauth2/keys' },
      ],
    });
    expect(proposedChanges(report).map((c) => c.field)).toEqual(['jwks_uri']);
  });

  it('offers nothing when the form already matches', () => {
    expect(proposedChanges(sampleReport({ changes: [] }))).toEqual([]);
  });
});

describe('applyChanges', () => {
  it('writes only the chosen fields and leaves everything else as typed', () => {
    const form = formFromDocument(sampleDocument({ name: 'Typed, unsaved' }));
    const before = { ...form };
    const changes = proposedChanges(sampleReport());
    const written = applyChanges(form, changes, new Set(['token_url', 'issuer']));

    expect(written).toEqual(['token_url', 'issuer']);
    expect(form).toEqual({
      ...before,
      token_url: 'https://login.example.com/oauth2/token',
      issuer: 'https://login.example.com',
    });
  });

  it('writes nothing when nothing is chosen', () => {
    const form = formFromDocument(sampleDocument());
    const before = { ...form };
    expect(applyChanges(form, proposedChanges(sampleReport()), new Set())).toEqual([]);
    expect(form).toEqual(before);
  });

  it('ignores a chosen field the report does not change', () => {
    const changes = proposedChanges(
      sampleReport({ changes: [{ field: 'issuer', old: null, new: 'https://i.example' }] }),
    );
    expect(discoveredValues(changes, new Set(['issuer', 'token_url']))).toEqual({
      issuer: 'https://login.example.com',
    });
  });
});
