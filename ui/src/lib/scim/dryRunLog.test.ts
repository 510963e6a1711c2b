import { describe, expect, it } from 'vitest';
import type { ScimDryRunStep } from '$lib/bindings/ScimDryRunStep';
import type { ScimExchange } from '$lib/bindings/ScimExchange';
import { filterSteps, prettyBody, statusCounts } from './dryRunLog';

function exchange(method: string, path: string, status: number, body: string | null): ScimExchange {
  return {
    method,
    path,
    url: `http://127.0.0.1:9/scim${path}`,
    request_headers: [{ name: 'Authorization', value: 'Bearer <redacted>' }],
    request_body: null,
    status,
    reason: null,
    duration_ms: 4,
    response_content_type: 'application/scim+json',
    response_body: body,
    error: null,
  };
}

const steps: ScimDryRunStep[] = [
  {
    name: 'find the user',
    status: 'passed',
    exchange: exchange('GET', '/Users?filter=userName eq "adele"', 200, '{"totalResults":0}'),
    findings: [],
    note: null,
    cleanup: false,
  },
  {
    name: 'create the user',
    status: 'failed',
    exchange: exchange('POST', '/Users', 400, '{"detail":"region is required"}'),
    findings: [
      {
        severity: 'error',
        code: 'missing_required',
        message: 'The server requires region',
        fix: 'Map region',
        field: null,
        subject: 'region',
        directories: [],
      },
    ],
    note: null,
    cleanup: false,
  },
  {
    name: 'update the user',
    status: 'skipped',
    exchange: null,
    findings: [],
    note: 'the user was not created',
    cleanup: false,
  },
  {
    name: 'delete the user',
    status: 'warning',
    exchange: exchange('DELETE', '/Users/1', 204, null),
    findings: [],
    note: null,
    cleanup: true,
  },
];

describe('dry run log filter', () => {
  it('shows every step, numbered, when nothing is filtered', () => {
    const shown = filterSteps(steps, { statuses: new Set(), text: '' });
    expect(shown.map((s) => s.number)).toEqual([1, 2, 3, 4]);
  });

  it('keeps only the chosen statuses and their numbers in the whole log', () => {
    const shown = filterSteps(steps, { statuses: new Set(['failed', 'skipped']), text: '' });
    expect(shown.map((s) => [s.number, s.step.name])).toEqual([
      [2, 'create the user'],
      [3, 'update the user'],
    ]);
  });

  it('finds text in response bodies, paths, notes and findings without regard to case', () => {
    const text = (t: string) =>
      filterSteps(steps, { statuses: new Set(), text: t }).map((s) => s.number);
    expect(text('REGION IS REQUIRED')).toEqual([2]);
    expect(text('filter=userName')).toEqual([1]);
    expect(text('not created')).toEqual([3]);
    expect(text('missing_required')).toEqual([2]);
    expect(text('delete')).toEqual([4]);
    expect(text('  ')).toEqual([1, 2, 3, 4]);
    expect(text('nothing like this')).toEqual([]);
  });

  it('combines the status and the text', () => {
    const shown = filterSteps(steps, { statuses: new Set(['passed']), text: 'region' });
    expect(shown).toEqual([]);
  });

  it('counts the steps by status', () => {
    expect(statusCounts(steps)).toEqual({ passed: 1, warning: 1, failed: 1, skipped: 1 });
  });

  it('pretty-prints JSON bodies and leaves other text alone', () => {
    expect(prettyBody('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyBody('<html>')).toBe('<html>');
    expect(prettyBody(null)).toBe('');
  });
});
