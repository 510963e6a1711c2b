import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import { signInTests } from '$lib/signin/signInTests.svelte';
import { sampleDetail } from '../../test/fixtures';
import { samplePasted, sampleEvaluation } from '../../test/signinFixtures';
import PastedClaimsScreen from './PastedClaimsScreen.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);
const ID = 'dir-1';
const GOOD = '{"id_token":{"sub":"abc"}}';

describe('PastedClaimsScreen', () => {
  beforeEach(() => {
    invokeMock.mockReset();
    signInTests.clear();
    invokeMock.mockImplementation((command: string, args?: unknown) => {
      const { claimsJson } = (args ?? {}) as { claimsJson?: string };
      if (command === 'get_directory') return Promise.resolve(sampleDetail());
      if (command === 'parse_claims' || command === 'evaluate_claims') {
        if (claimsJson !== GOOD) {
          return Promise.reject({
            kind: 'invalid_claims',
            message: 'the claims are not JSON: line 1, column 2',
            field: 'claims_json',
            fields: [],
          });
        }
        return Promise.resolve(command === 'parse_claims' ? samplePasted() : sampleEvaluation());
      }
      return Promise.reject(new Error(`unexpected command ${command}`));
    });
  });

  it('reads the claims as they are pasted and groups them by source', async () => {
    render(PastedClaimsScreen, { id: ID });
    expect(await screen.findByText(/Contoso staff/)).toBeInTheDocument();
    await fireEvent.input(screen.getByTestId('claims-input'), { target: { value: GOOD } });

    const preview = await screen.findByTestId('claims-preview');
    expect(invokeMock).toHaveBeenCalledWith('parse_claims', { claimsJson: GOOD });
    expect(within(preview).getByTestId('claims-form')).toHaveTextContent(
      'Read as claims by source.',
    );
    expect(within(preview).getByTestId('claims-note')).toHaveTextContent('ignored token_type');
    const groups = within(preview).getAllByTestId('claims-preview-group');
    expect(groups.map((g) => g.dataset.source)).toEqual(['access_token', 'id_token', 'userinfo']);
    expect(groups[0]).toHaveTextContent('the access token is opaque');
    expect(groups[1]).toHaveTextContent('3 claims');
    expect(within(groups[1] as HTMLElement).getAllByTestId('claim-row')).toHaveLength(3);
    expect(groups[2]).toHaveTextContent('not provided');
  });

  it('says where pasted claims could not be read and offers no evaluation', async () => {
    render(PastedClaimsScreen, { id: ID });
    const input = screen.getByTestId('claims-input');
    await fireEvent.input(input, { target: { value: '{x' } });
    expect(await screen.findByTestId('error-claims_json')).toHaveTextContent('line 1, column 2');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('evaluate-claims')).toBeDisabled();
    expect(screen.queryByTestId('claims-preview')).toBeNull();
  });

  it('evaluates the claims against the directory and shows the verdict', async () => {
    render(PastedClaimsScreen, { id: ID });
    await fireEvent.input(screen.getByTestId('claims-input'), { target: { value: GOOD } });
    await screen.findByTestId('claims-preview');
    await fireEvent.click(screen.getByTestId('evaluate-claims'));

    const panel = screen.getByTestId('evaluation-panel');
    expect(await within(panel).findByTestId('evaluation-summary')).toHaveTextContent(
      'sign-in would fail',
    );
    expect(invokeMock).toHaveBeenCalledWith('evaluate_claims', { id: ID, claimsJson: GOOD });
    expect(within(panel).getAllByTestId('mapping-row')).toHaveLength(5);
  });
});
