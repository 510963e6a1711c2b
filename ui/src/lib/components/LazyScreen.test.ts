import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import type CopyButtonComponent from './CopyButton.svelte';
import LazyScreen from './LazyScreen.svelte';

type CopyButtonModule = { default: typeof CopyButtonComponent };

const loadCopyButton = (): Promise<CopyButtonModule> => import('./CopyButton.svelte');
const props = { text: 'https://sso.example.com', label: 'Copy URL', testid: 'copy-url' };

describe('LazyScreen', () => {
  it('shows the screen with its props once its code is loaded', async () => {
    render(LazyScreen<typeof props>, { props: { load: loadCopyButton, props } });
    expect(await screen.findByTestId('copy-url')).toHaveTextContent('Copy URL');
    expect(screen.queryByTestId('screen-loading')).toBeNull();
  });

  it('says it is loading while the code is on its way', () => {
    const load = () => new Promise<CopyButtonModule>(() => {});
    render(LazyScreen<typeof props>, { props: { load, props } });
    expect(screen.getByTestId('screen-loading')).toHaveTextContent('Loading…');
  });

  it('says what to do when the code could not be loaded', async () => {
    const load = () =>
      Promise.reject<CopyButtonModule>(
        new TypeError('Failed to fetch dynamically imported module'),
      );
    render(LazyScreen<typeof props>, { props: { load, props } });
    const error = await screen.findByTestId('screen-load-error');
    expect(error).toHaveTextContent('This screen could not be loaded. Restart SSO Console');
    expect(error).toHaveTextContent('Failed to fetch dynamically imported module');
    expect(screen.queryByTestId('copy-url')).toBeNull();
  });

  it('names a part of a screen as such', async () => {
    const load = () => Promise.reject<CopyButtonModule>(new TypeError('Load failed'));
    render(LazyScreen<typeof props>, { props: { load, props, what: 'panel' } });
    expect(await screen.findByTestId('screen-load-error')).toHaveTextContent(
      'This panel could not be loaded.',
    );
  });
});
