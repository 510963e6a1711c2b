import type { DirectorySummary } from '$lib/bindings/DirectorySummary';

/**
 * What the shell puts on the page before its scripts run, so the first screen can be drawn
 * without waiting for a command.
 */
export interface BootData {
  /** The directories `list_directories` answers for the query "" (all of them, by name). */
  directories: DirectorySummary[];
  /** Those of them `directories_needing_attention` answers: the start-up banner's. */
  attention: DirectorySummary[];
}

declare global {
  interface Window {
    /** Set by the shell at start-up; each part taken (and removed) once by the functions below. */
    __SSO_CONSOLE_BOOT__?: Partial<BootData>;
  }
}

const PARTS: (keyof BootData)[] = ['directories', 'attention'];

/**
 * One part of what the shell handed over, the first time it is asked; then null, so later loads
 * ask the core for the data as it is now. Null as well when the shell sent none or sent
 * something that is not a list.
 */
function take(part: keyof BootData): DirectorySummary[] | null {
  // Read as unknown: the value comes from outside the bundle and is checked before use.
  const boot: unknown = window.__SSO_CONSOLE_BOOT__;
  if (typeof boot !== 'object' || boot === null) {
    delete window.__SSO_CONSOLE_BOOT__;
    return null;
  }
  const value: unknown = (boot as Record<string, unknown>)[part];
  // The shell's object is frozen: the parts not taken yet are kept in a new one.
  const left = PARTS.filter((p) => p !== part && p in boot);
  if (left.length === 0) delete window.__SSO_CONSOLE_BOOT__;
  else
    window.__SSO_CONSOLE_BOOT__ = Object.fromEntries(
      left.map((p) => [p, boot[p as keyof typeof boot]]),
    );
  return Array.isArray(value) ? (value as DirectorySummary[]) : null;
}

/** Whether the shell handed data over that the page has not taken yet. */
export function bootDataPending(): boolean {
  return window.__SSO_CONSOLE_BOOT__ !== undefined;
}

/** The directories the list draws first (see `take`). */
export function takeBootDirectories(): DirectorySummary[] | null {
  return take('directories');
}

/** The directories the start-up banner names first (see `take`). */
export function takeBootAttention(): DirectorySummary[] | null {
  return take('attention');
}
