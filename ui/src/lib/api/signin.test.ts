import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Channel, invoke } from '@tauri-apps/api/core';
import type { SignInEvent } from '$lib/bindings/SignInEvent';
import { sampleSignInResult, sampleWaiting } from '../../test/signinFixtures';
import { ApiError } from './errors';
import { checkRouting, evaluateClaims, parseClaims, simulateRoute } from './mapping';
import { cancelTestSignIn, startTestSignIn } from './signin';

vi.mock('@tauri-apps/api/core', async () => ({
  invoke: vi.fn(),
  Channel: (await import('../../test/channel')).FakeChannel,
}));

const invokeMock = vi.mocked(invoke);

describe('sign-in and mapping commands', () => {
  beforeEach(() => {
    invokeMock.mockReset();
    invokeMock.mockResolvedValue(null);
  });

  it.each([
    ['simulate_route', () => simulateRoute('ann@example.org'), { email: 'ann@example.org' }],
    ['check_routing', () => checkRouting(), {}],
    ['parse_claims', () => parseClaims('{"sub":"1"}'), { claimsJson: '{"sub":"1"}' }],
    [
      'evaluate_claims',
      () => evaluateClaims('id-1', '{"sub":"1"}'),
      { id: 'id-1', claimsJson: '{"sub":"1"}' },
    ],
    ['cancel_test_sign_in', () => cancelTestSignIn(), {}],
  ])('%s is invoked with camelCase arguments', async (command, run, args) => {
    await run();
    expect(invokeMock).toHaveBeenCalledTimes(1);
    expect(invokeMock).toHaveBeenCalledWith(command, args);
  });

  it('start_test_sign_in sends the id and a Channel as onEvent, and forwards the waiting event', async () => {
    const result = sampleSignInResult();
    const heard: SignInEvent[] = [];
    invokeMock.mockImplementationOnce((_command, args) => {
      const channel = (args as { onEvent: Channel<SignInEvent> }).onEvent;
      channel.onmessage(sampleWaiting());
      return Promise.resolve(result);
    });
    await expect(startTestSignIn('id-1', (event) => heard.push(event))).resolves.toEqual(result);
    expect(invokeMock).toHaveBeenCalledWith('start_test_sign_in', {
      id: 'id-1',
      onEvent: expect.any(Channel) as unknown,
    });
    expect(heard).toEqual([sampleWaiting()]);
  });

  it('a sign-in that cannot start is thrown as an ApiError naming the field', async () => {
    invokeMock.mockRejectedValueOnce({
      kind: 'validation',
      message: 'no client secret is stored for this directory',
      field: 'client_secret',
      fields: [],
    });
    const error = await startTestSignIn('id-1', () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'validation', field: 'client_secret' });
  });

  it('an invalid email is thrown with its kind and field', async () => {
    invokeMock.mockRejectedValueOnce({
      kind: 'invalid_email',
      message: '"bad email" contains a space',
      field: 'email',
      fields: [],
    });
    await expect(simulateRoute('bad email')).rejects.toMatchObject({
      kind: 'invalid_email',
      field: 'email',
      fields: [{ field: 'email', message: '"bad email" contains a space' }],
    });
  });
});
