import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import type { DirectorySummary } from '$lib/bindings/DirectorySummary';
import { sampleSummaries } from '../../test/fixtures';
import AttentionBanner from './AttentionBanner.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

/** Two directories the banner names: one whose last check failed, one whose secret expired. */
function alarming(): DirectorySummary[] {
  // The fixtures' second directory's last check failed.
  const [expired, failed] = sampleSummaries(2) as [DirectorySummary, DirectorySummary];
  return [failed, { ...expired, secret_expiry: { state: 'expired', days_ago: 2 } }];
}

describe('AttentionBanner', () => {
  beforeEach(() => {
    invokeMock
      .mockReset()
      .mockImplementation((command: string) =>
        command === 'directories_needing_attention'
          ? Promise.resolve(alarming())
          : Promise.reject(new Error(`unexpected command ${command}`)),
      );
  });

  afterEach(() => {
    delete window.__SSO_CONSOLE_BOOT__;
  });

  it('names the directories handed over with the page at once, without a command', () => {
    // As the shell's start-up script sets it.
    window.__SSO_CONSOLE_BOOT__ = Object.freeze({ directories: [], attention: alarming() });
    render(AttentionBanner);
    expect(screen.getByTestId('attention-banner')).toHaveTextContent(
      '2 directories need attention.',
    );
    const items = screen.getAllByTestId('attention-banner-item');
    expect(items[0]).toHaveTextContent('Directory 1: the last check failed');
    expect(items[1]).toHaveTextContent('Directory 0: client secret expired');
    expect(invokeMock).not.toHaveBeenCalled();
  });

  it('shows nothing when the shell handed over no directory needing attention', async () => {
    window.__SSO_CONSOLE_BOOT__ = Object.freeze({ directories: [], attention: [] });
    render(AttentionBanner);
    await Promise.resolve();
    expect(screen.queryByTestId('attention-banner')).toBeNull();
    expect(invokeMock).not.toHaveBeenCalled();
  });

  it('asks the core when the page came without them', async () => {
    render(AttentionBanner);
    expect(await screen.findByTestId('attention-banner')).toHaveTextContent(
      '2 directories need attention.',
    );
    expect(invokeMock.mock.calls.map(([command]) => command)).toEqual([
      'directories_needing_attention',
    ]);
  });
});
