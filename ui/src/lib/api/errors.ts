import type { CommandError } from '$lib/bindings/CommandError';
import type { ErrorKind } from '$lib/bindings/ErrorKind';
import type { FieldError } from '$lib/bindings/FieldError';

/**
 * The one error every API function throws: a `CommandError` from the core, carried by an `Error`
 * so stack traces, `instanceof` and `only-throw-error` keep working.
 */
export class ApiError extends Error implements CommandError {
  readonly kind: ErrorKind;
  readonly field: string | null;
  readonly fields: FieldError[];

  constructor(error: CommandError, options?: { cause?: unknown }) {
    super(error.message, options);
    this.name = 'ApiError';
    this.kind = error.kind;
    this.field = error.field;
    this.fields = error.fields;
  }
}

/**
 * Every kind the core sends. Typed as a record over `ErrorKind`, so a kind added in the core
 * fails the type check here until it is listed.
 */
const KINDS: Record<ErrorKind, true> = {
  validation: true,
  conflict: true,
  not_found: true,
  invalid_logo: true,
  keyring: true,
  storage: true,
  port_in_use: true,
  cancelled: true,
  discovery: true,
  invalid_claims: true,
  invalid_email: true,
  invalid_report: true,
  invalid_bundle: true,
  wrong_passphrase: true,
  network: true,
  unreachable: true,
  environment: true,
  usage: true,
  internal: true,
};

function isKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && Object.hasOwn(KINDS, value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isFieldError(value: unknown): value is FieldError {
  return isRecord(value) && typeof value.field === 'string' && typeof value.message === 'string';
}

/** Whether `value` has the exact shape the shell sends for a failed command. */
export function isCommandError(value: unknown): value is CommandError {
  return (
    isRecord(value) &&
    isKind(value.kind) &&
    typeof value.message === 'string' &&
    (value.field === null || typeof value.field === 'string') &&
    Array.isArray(value.fields) &&
    value.fields.every(isFieldError)
  );
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'string') return value;
  try {
    // JSON.stringify answers undefined for undefined, functions and symbols.
    const json = JSON.stringify(value) as string | undefined;
    return json ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Turns whatever an `invoke` rejected with into an `ApiError`. Anything that is not a
 * `CommandError` (Tauri's own string errors such as an unknown command or a missing permission,
 * a JS exception) becomes kind "internal" so screens only ever handle one shape.
 */
export function toApiError(value: unknown): ApiError {
  if (value instanceof ApiError) return value;
  if (isCommandError(value)) {
    // The core sets `field` to the first of `fields`; when only one of them is filled in, keep
    // both in step so callers can rely on `fields` alone.
    const fields =
      value.fields.length === 0 && value.field !== null
        ? [{ field: value.field, message: value.message }]
        : value.fields;
    return new ApiError({ ...value, fields });
  }
  return new ApiError(
    { kind: 'internal', message: describe(value), field: null, fields: [] },
    { cause: value },
  );
}
