import { Channel } from '@tauri-apps/api/core';
import type { SignInEvent } from '$lib/bindings/SignInEvent';
import type { SignInResult } from '$lib/bindings/SignInResult';
import { call } from './call';

/**
 * Runs a test sign-in for the saved directory `id`: the core opens the system browser and
 * `onEvent` hears once it waits for the person (with the authorization URL and the redirect URI).
 * Resolves when the attempt ends — success, failure, timeout or cancel — with the whole result;
 * fails (kind "validation", field "client_secret" or "test_redirect_port") only when it cannot
 * start. A new attempt cancels one still waiting.
 */
export function startTestSignIn(
  id: string,
  onEvent: (event: SignInEvent) => void,
): Promise<SignInResult> {
  const channel = new Channel<SignInEvent>();
  channel.onmessage = onEvent;
  return call('start_test_sign_in', { id, onEvent: channel });
}

/**
 * Ends the running attempt: its `startTestSignIn` then resolves with a "cancelled" failure, or,
 * if the attempt was still being prepared, rejects with the kind "cancelled".
 */
export async function cancelTestSignIn(): Promise<void> {
  await call<null>('cancel_test_sign_in');
}
