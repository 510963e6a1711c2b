import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import type { AppInfo } from '$lib/bindings/AppInfo';
import AboutSection from './AboutSection.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

function sampleInfo(overrides: Partial<AppInfo> = {}): AppInfo {
  return {
    version: '0.4.0',
    commit: '44bda11c0ffee',
    log_file: '/home/admin/.local/state/sso-console/sso-console.log',
    ...overrides,
  };
}

function answer(
  info: AppInfo,
  openLogFolder: () => Promise<unknown> = () => Promise.resolve(null),
) {
  invokeMock.mockImplementation((command: string) => {
    if (command === 'app_info') return Promise.resolve(info);
    if (command === 'open_log_folder') return openLogFolder();
    return Promise.reject(new Error(`unexpected command ${command}`));
  });
}

describe('AboutSection', () => {
  const writeText = vi.fn<(text: string) => Promise<void>>();

  beforeEach(() => {
    invokeMock.mockReset();
    writeText.mockReset();
    writeText.mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
  });

  it('shows the version, commit and log file', async () => {
    answer(sampleInfo());
    render(AboutSection);

    expect(await screen.findByTestId('about-version')).toHaveTextContent('0.4.0');
    expect(screen.getByTestId('about-commit')).toHaveTextContent('44bda11c0ffee');
    expect(screen.getByTestId('about-log-file')).toHaveTextContent(
      '/home/admin/.local/state/sso-console/sso-console.log',
    );
    expect(screen.getByTestId('about-open-log-folder')).toBeEnabled();
    expect(screen.queryByTestId('about-error')).toBeNull();
    expect(invokeMock).toHaveBeenCalledWith('app_info', {});
  });

  it('copies the commit and the log file’s path', async () => {
    answer(sampleInfo());
    render(AboutSection);
    await screen.findByTestId('about-version');

    await fireEvent.click(screen.getByRole('button', { name: 'Copy the commit' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Copy the log file’s path' }));
    expect(writeText.mock.calls).toEqual([
      ['44bda11c0ffee'],
      ['/home/admin/.local/state/sso-console/sso-console.log'],
    ]);
  });

  it('opens the log folder through the core', async () => {
    answer(sampleInfo());
    render(AboutSection);

    await fireEvent.click(await screen.findByTestId('about-open-log-folder'));
    expect(invokeMock).toHaveBeenCalledWith('open_log_folder', {});
    expect(invokeMock).toHaveBeenCalledTimes(2);
    expect(screen.queryByTestId('about-error')).toBeNull();
  });

  it('says why the log folder could not be opened and what to do instead', async () => {
    answer(sampleInfo(), () =>
      Promise.reject({
        kind: 'environment',
        message:
          'cannot open the folder /home/admin/.local/state/sso-console: no file manager is installed. Open it in your file manager instead',
        field: null,
        fields: [],
      }),
    );
    render(AboutSection);

    await fireEvent.click(await screen.findByTestId('about-open-log-folder'));
    const error = await screen.findByTestId('about-error');
    expect(error).toHaveTextContent('The log folder could not be opened');
    expect(error).toHaveTextContent('no file manager is installed');
    expect(error).toHaveTextContent('The log file’s path is above, with a Copy button.');
    // The details stay, so the path can still be copied.
    expect(screen.getByTestId('about-log-file')).toBeInTheDocument();
  });

  it('says the details could not be read when the core fails', async () => {
    invokeMock.mockRejectedValue({
      kind: 'internal',
      message: 'the data folder is not set',
      field: null,
      fields: [],
    });
    render(AboutSection);

    const error = await screen.findByTestId('about-error');
    expect(error).toHaveTextContent('could not be read: the data folder is not set');
    expect(screen.queryByTestId('about-version')).toBeNull();
    expect(screen.queryByTestId('about-open-log-folder')).toBeNull();
  });

  it('without a log file, says so and disables Open log folder', async () => {
    answer(sampleInfo({ log_file: null }));
    render(AboutSection);

    const button = await screen.findByTestId('about-open-log-folder');
    expect(button).toBeDisabled();
    expect(screen.getByTestId('about-log-file')).toHaveTextContent('There is no log file');
    expect(screen.queryByRole('button', { name: 'Copy the log file’s path' })).toBeNull();
    await fireEvent.click(button);
    expect(invokeMock).not.toHaveBeenCalledWith('open_log_folder', expect.anything());
  });
});
