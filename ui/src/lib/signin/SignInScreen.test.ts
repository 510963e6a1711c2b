import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { Channel, invoke } from '@tauri-apps/api/core';
import type { SignInEvent } from '$lib/bindings/SignInEvent';
import type { SignInResult } from '$lib/bindings/SignInResult';
import { sampleDetail } from '../../test/fixtures';
import {
  failedSignInResult,
  sampleEvaluation,
  sampleSignInResult,
  sampleWaiting,
} from '../../test/signinFixtures';
import SignInScreen from './SignInScreen.svelte';
import { signInTests } from './signInTests.svelte';

vi.mock('@tauri-apps/api/core', async () => ({
  invoke: vi.fn(),
  Channel: (await import('../../test/channel')).FakeChannel,
}));

const invokeMock = vi.mocked(invoke);
const ID = 'dir-1';

/** Plays the core's start_test_sign_in: the test decides when it sends and answers. */
function playSignIn() {
  let channel: Channel<SignInEvent> | undefined;
  let finish: (result: SignInResult) => void = () => {};
  invokeMock.mockImplementation((command: string, args?: unknown) => {
    if (command === 'start_test_sign_in') {
      channel = (args as { onEvent: Channel<SignInEvent> }).onEvent;
      return new Promise((resolve) => (finish = resolve));
    }
    if (command === 'cancel_test_sign_in') {
      finish(failedSignInResult());
      return Promise.resolve(null);
    }
    if (command === 'evaluate_claims') return Promise.resolve(sampleEvaluation());
    if (command === 'get_directory') return Promise.resolve(sampleDetail());
    return Promise.reject(new Error(`unexpected command ${command}`));
  });
  return {
    send: (event: SignInEvent) => channel?.onmessage(event),
    finish: (result: SignInResult) => {
      finish(result);
    },
  };
}

describe('SignInScreen', () => {
  beforeEach(() => {
    invokeMock.mockReset();
    signInTests.clear();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits with the elapsed time and the URIs, then shows the claims and their evaluation', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const core = playSignIn();
    void signInTests.start(ID, 'Local OP');
    render(SignInScreen, { id: ID });

    expect(screen.getByTestId('signin-waiting')).toHaveTextContent('Opening your browser…');
    core.send(sampleWaiting());
    await vi.waitFor(() => {
      expect(screen.getByTestId('signin-waiting')).toHaveTextContent(
        'Waiting for sign-in in your browser…',
      );
    });
    expect(screen.getByTestId('signin-redirect-uri')).toHaveTextContent(
      'http://127.0.0.1:47311/callback',
    );
    expect(screen.getByTestId('signin-authorization-url')).toHaveTextContent(
      'http://127.0.0.1:41035/auth?client_id=console',
    );
    expect(screen.getByTestId('test-again')).toBeDisabled();
    await vi.advanceTimersByTimeAsync(3000);
    expect(screen.getByTestId('signin-elapsed').textContent).toMatch(/^0:0[3-4]$/);

    const result = sampleSignInResult();
    core.finish(result);
    await screen.findByTestId('claims-view');
    expect(screen.queryByTestId('signin-waiting')).toBeNull();
    expect(screen.getByTestId('signin-verdict')).toHaveTextContent('Signed in');
    expect(screen.queryByTestId('signin-failure')).toBeNull();
    expect(screen.getAllByTestId('signin-check')).toHaveLength(5);

    // The evaluation panel gets the test's claims, an opaque access token as its string.
    const panel = await screen.findByTestId('evaluation-panel');
    await within(panel).findByTestId('evaluation-summary');
    const call = invokeMock.mock.calls.find(([command]) => command === 'evaluate_claims');
    const args = call?.[1] as { id: string; claimsJson: string };
    expect(args.id).toBe(ID);
    expect(JSON.parse(args.claimsJson)).toMatchObject({
      id_token: result.id_token.claims,
      userinfo: result.userinfo.claims,
      access_token: result.access_token.raw,
    });
    expect(within(panel).getAllByTestId('mapping-row')).toHaveLength(5);
  });

  it('says when the browser could not be opened and offers the URL to copy', async () => {
    const core = playSignIn();
    void signInTests.start(ID, 'Local OP');
    render(SignInScreen, { id: ID });
    core.send(sampleWaiting({ browser_error: 'cannot open the browser (no display)' }));
    expect(await screen.findByTestId('signin-browser-error')).toHaveTextContent(
      'cannot open the browser (no display)',
    );
    expect(screen.getByTestId('copy-authorization-url')).toBeInTheDocument();
    expect(screen.getByTestId('signin-waiting')).toHaveTextContent('Open it in a browser yourself');
  });

  it('puts a failure first: the step, the provider’s message and the hint', async () => {
    const core = playSignIn();
    void signInTests.start(ID, 'Local OP');
    render(SignInScreen, { id: ID });
    core.finish(failedSignInResult());

    const failure = await screen.findByTestId('signin-failure');
    expect(failure).toHaveAttribute('role', 'alert');
    expect(within(failure).getByTestId('signin-failure-step')).toHaveTextContent('Token exchange');
    expect(within(failure).getByTestId('signin-failure-message')).toHaveTextContent(
      'the token endpoint answered 401',
    );
    expect(within(failure).getByTestId('signin-failure-provider')).toHaveTextContent(
      'invalid_client client authentication failed',
    );
    expect(within(failure).getByTestId('signin-failure-hint')).toHaveTextContent(
      'check the client secret',
    );
    expect(screen.getByTestId('signin-verdict')).toHaveTextContent('Failed: Token exchange');
    expect(screen.getByTestId('evaluation-panel')).toHaveTextContent('no claims to evaluate');
    expect(invokeMock.mock.calls.some(([command]) => command === 'evaluate_claims')).toBe(false);
  });

  it('lists failed checks prominently while still showing the claims', async () => {
    const core = playSignIn();
    void signInTests.start(ID, 'Local OP');
    render(SignInScreen, { id: ID });
    const base = sampleSignInResult();
    core.finish({
      ...base,
      succeeded: false,
      id_token: { ...base.id_token, status: 'unverified' },
      checks: [
        ...base.checks,
        { name: 'Issuer', outcome: 'fail', detail: 'expected https://a, got https://b' },
      ],
    });
    const failure = await screen.findByTestId('signin-failure');
    expect(within(failure).getByTestId('signin-failed-check')).toHaveTextContent(
      'Issuer: expected https://a, got https://b',
    );
    const checks = screen.getAllByTestId('signin-check');
    expect(checks[0]).toHaveAttribute('data-outcome', 'fail');
    expect(screen.getByTestId('checks-counts')).toHaveTextContent('1 failed, 4 passed, 1 skipped');
    expect(screen.getByTestId('claims-view')).toBeInTheDocument();
  });

  it('cancels the attempt and keeps the previous result', async () => {
    let core = playSignIn();
    void signInTests.start(ID, 'Local OP');
    core.finish(sampleSignInResult());
    await vi.waitFor(() => {
      expect(signInTests.run(ID)?.phase).toBe('done');
    });

    core = playSignIn();
    render(SignInScreen, { id: ID });
    await fireEvent.click(screen.getByTestId('test-again'));
    await screen.findByTestId('signin-waiting');
    expect(screen.getByText('Previous result')).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId('cancel-signin'));

    expect(await screen.findByTestId('signin-cancelled')).toHaveTextContent(
      'The test was cancelled; below is the previous result.',
    );
    expect(invokeMock).toHaveBeenCalledWith('cancel_test_sign_in', {});
    expect(screen.queryByTestId('signin-waiting')).toBeNull();
    expect(screen.getByTestId('signin-verdict')).toHaveTextContent('Signed in');
  });

  it('says why a test could not start', async () => {
    invokeMock.mockImplementation((command: string) =>
      command === 'start_test_sign_in'
        ? Promise.reject({
            kind: 'validation',
            message: 'no client secret is stored for this directory',
            field: 'client_secret',
            fields: [],
          })
        : Promise.resolve(sampleDetail()),
    );
    void signInTests.start(ID, 'Local OP');
    render(SignInScreen, { id: ID });
    expect(await screen.findByTestId('signin-start-error')).toHaveTextContent(
      'The test could not start: no client secret is stored for this directory',
    );
    expect(screen.getByRole('button', { name: 'Open the editor' })).toBeInTheDocument();
  });
});
