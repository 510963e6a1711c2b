import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import type { SignInTrace } from '$lib/bindings/SignInTrace';
import type { TraceStep } from '$lib/bindings/TraceStep';
import { sampleTrace } from '../../test/signinFixtures';
import TraceTable from './TraceTable.svelte';

function step(kind: string): HTMLElement {
  const found = screen
    .getAllByTestId('trace-step')
    .find((element) => element.dataset.kind === kind);
  if (found === undefined) throw new Error(`no step ${kind}`);
  return found;
}

/** The name/value pairs of a parameter list, as shown. */
function pairs(list: HTMLElement): [string, string][] {
  return [...list.querySelectorAll('dt')].map((name) => [
    name.textContent,
    name.nextElementSibling?.textContent ?? '',
  ]);
}

/** The sample trace, ending at a token endpoint that refused the client. */
function failedTrace(): SignInTrace {
  const trace = sampleTrace();
  const refused: TraceStep = {
    kind: 'token_request',
    started_ms: 5211,
    duration_ms: 12.4,
    method: 'POST',
    url: 'http://127.0.0.1:41035/token',
    sent: [{ name: 'grant_type', value: 'authorization_code' }],
    received: [
      { name: 'error', value: 'invalid_client' },
      { name: 'error_description', value: '<img src=x onerror=alert(1)>' },
    ],
    ok: false,
    outcome: 'the token endpoint answered 401',
  };
  return { ...trace, steps: [...trace.steps.slice(0, 2), refused] };
}

describe('TraceTable', () => {
  it('shows the steps in the order they started, each named in words', () => {
    render(TraceTable, { trace: sampleTrace() });

    const steps = within(screen.getByTestId('trace')).getAllByTestId('trace-step');
    expect(steps.map((s) => s.dataset.kind)).toEqual([
      'authorization_request',
      'callback',
      'token_request',
      'verification',
    ]);
    expect(steps.map((s) => within(s).getByTestId('trace-label').textContent)).toEqual([
      'Authorization request',
      'Callback',
      'Token request',
      'Verification',
    ]);
    expect(steps.map((s) => s.dataset.ok)).toEqual(['true', 'true', 'true', 'true']);
  });

  it('puts the steps in start order even when they arrive out of it', () => {
    const trace = sampleTrace();
    render(TraceTable, { trace: { ...trace, steps: [...trace.steps].reverse() } });

    expect(screen.getAllByTestId('trace-step').map((s) => s.dataset.kind)).toEqual([
      'authorization_request',
      'callback',
      'token_request',
      'verification',
    ]);
  });

  it('shows when each step started, how long it took, its request and its outcome', () => {
    render(TraceTable, { trace: sampleTrace() });

    const token = step('token_request');
    expect(within(token).getByTestId('trace-started')).toHaveTextContent('+5211 ms');
    expect(within(token).getByTestId('trace-duration')).toHaveTextContent('took 18 ms');
    expect(within(token).getByTestId('trace-request')).toHaveTextContent(
      'POST http://127.0.0.1:41035/token',
    );
    expect(within(token).getByTestId('trace-outcome')).toHaveTextContent(
      'the token endpoint answered 200',
    );
    expect(within(token).getByText('OK')).toBeInTheDocument();

    // The callback has a URL but no method; verification makes no request at all.
    expect(within(step('callback')).getByTestId('trace-request').textContent).toBe(
      'http://127.0.0.1:47311/callback',
    );
    expect(within(step('verification')).queryByTestId('trace-request')).toBeNull();
    expect(within(step('verification')).getByTestId('trace-started')).toHaveTextContent('+5229 ms');
    expect(within(step('verification')).getByTestId('trace-duration')).toHaveTextContent(
      'took 1 ms',
    );
  });

  it('lists the parameters sent and received by name and value', () => {
    render(TraceTable, { trace: sampleTrace() });

    const authorization = step('authorization_request');
    expect(pairs(within(authorization).getByTestId('trace-sent'))).toEqual([
      ['client_id', 'console'],
      ['code_challenge_method', 'S256'],
    ]);
    // Nothing came back to the authorization request, so there is no list for it.
    expect(within(authorization).queryByTestId('trace-received')).toBeNull();

    const callback = step('callback');
    expect(within(callback).queryByTestId('trace-sent')).toBeNull();
    expect(pairs(within(callback).getByTestId('trace-received'))).toEqual([
      ['code', '(43 characters, not kept)'],
    ]);

    const token = step('token_request');
    expect(pairs(within(token).getByTestId('trace-sent'))).toEqual([
      ['grant_type', 'authorization_code'],
    ]);
    expect(pairs(within(token).getByTestId('trace-received'))).toEqual([['token_type', 'Bearer']]);

    const verification = step('verification');
    expect(within(verification).queryByTestId('trace-sent')).toBeNull();
    expect(within(verification).queryByTestId('trace-received')).toBeNull();
  });

  it('marks the step that failed and says what happened', () => {
    render(TraceTable, { trace: failedTrace() });

    const steps = screen.getAllByTestId('trace-step');
    expect(steps.map((s) => [s.dataset.kind, s.dataset.ok])).toEqual([
      ['authorization_request', 'true'],
      ['callback', 'true'],
      ['token_request', 'false'],
    ]);
    const token = step('token_request');
    expect(token).toHaveClass('failed');
    expect(within(token).getByText('failed')).toBeInTheDocument();
    expect(within(token).queryByText('OK')).toBeNull();
    expect(within(token).getByTestId('trace-outcome')).toHaveTextContent(
      'the token endpoint answered 401',
    );
    expect(within(token).getByTestId('trace-duration')).toHaveTextContent('took 12 ms');
  });

  it('shows a value that looks like markup as text', () => {
    const { container } = render(TraceTable, { trace: failedTrace() });

    const received = within(step('token_request')).getByTestId('trace-received');
    expect(pairs(received)).toEqual([
      ['error', 'invalid_client'],
      ['error_description', '<img src=x onerror=alert(1)>'],
    ]);
    expect(container.querySelector('img')).toBeNull();
  });

  it('says so when no step was recorded', () => {
    render(TraceTable, { trace: { started_at: '2026-11-24T13:45:41Z', steps: [] } });

    expect(screen.getByText('No steps were recorded.')).toBeInTheDocument();
    expect(screen.queryByTestId('trace')).toBeNull();
    expect(screen.queryByTestId('trace-step')).toBeNull();
  });
});
