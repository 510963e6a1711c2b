import { invoke } from '@tauri-apps/api/core';
import { toApiError } from './errors';

/**
 * The only call site of `invoke` in the UI; argument keys are camelCase as Tauri expects.
 * Every failure is thrown as an `ApiError`.
 */
export async function call<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toApiError(error);
  }
}
