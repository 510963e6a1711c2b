import type { DirectorySummary } from '$lib/bindings/DirectorySummary';

/**
 * What the shell puts on the page before its scripts run, so the first screen can be drawn
 * without waiting for a command.
 */
export interface BootData {
  /** The directories `list_directories` answers for the query "" (all of them, by name). */
  directories: DirectorySummary[];
}

declare global {
  interface Window {
    /** Set by the shell at start-up; taken (and removed) by `takeBootDirectories`. */
    __SSO_CONSOLE_BOOT__?: BootData;
  }
}

/**
 * The directories the shell handed over with the page, the first time it is asked; then null,
 * so later loads ask the core for the list as it is now. Null as well when the shell sent none
 * or sent something that is not a list.
 */
export function takeBootDirectories(): DirectorySummary[] | null {
  // Read as unknown: the value comes from outside the bundle and is checked before use.
  const boot: unknown = window.__SSO_CONSOLE_BOOT__;
  delete window.__SSO_CONSOLE_BOOT__;
  if (typeof boot !== 'object' || boot === null || !('directories' in boot)) return null;
  return Array.isArray(boot.directories) ? (boot.directories as DirectorySummary[]) : null;
}
