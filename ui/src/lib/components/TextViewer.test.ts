import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { SAMPLE_RAW_DOCUMENT } from '../../test/fixtures';
import TextViewer from './TextViewer.svelte';

function renderViewer(text = SAMPLE_RAW_DOCUMENT) {
  return render(TextViewer, { text, label: 'Raw discovery document', testid: 'raw-document' });
}

const shownLines = () =>
  screen.getAllByTestId('raw-document-line').map((line) => Number(line.dataset.line));

describe('TextViewer', () => {
  it('shows every line of the text, numbered, in a monospaced block', () => {
    renderViewer();
    const lineCount = SAMPLE_RAW_DOCUMENT.split('\n').length;
    expect(shownLines()).toEqual(Array.from({ length: lineCount }, (_, i) => i + 1));
    expect(screen.getByTestId('raw-document').tagName).toBe('PRE');
    expect(screen.getByTestId('raw-document').textContent).toContain(
      '"issuer": "https://login.example.com"',
    );
    expect(screen.getByTestId('raw-document-count')).toHaveTextContent(`${lineCount} lines`);
  });

  it('highlights what is searched for and can hide the other lines', async () => {
    renderViewer();
    await fireEvent.input(screen.getByTestId('raw-document-search'), {
      target: { value: 'OAUTH2' },
    });

    const marks = [...screen.getByTestId('raw-document').querySelectorAll('mark')];
    expect(marks.map((m) => m.textContent)).toEqual(['oauth2', 'oauth2', 'oauth2', 'oauth2']);
    expect(screen.getByTestId('raw-document-count')).toHaveTextContent('4 lines match');

    await fireEvent.click(screen.getByTestId('raw-document-filter'));
    expect(shownLines()).toEqual([3, 4, 5, 6]);

    await fireEvent.input(screen.getByTestId('raw-document-search'), { target: { value: '' } });
    expect(shownLines()).toHaveLength(SAMPLE_RAW_DOCUMENT.split('\n').length);
  });

  it('renders a document holding markup as text', () => {
    renderViewer('{"issuer": "<script>alert(1)</script>"}');
    expect(screen.getByTestId('raw-document').querySelector('script')).toBeNull();
    expect(screen.getByTestId('raw-document')).toHaveTextContent('<script>alert(1)</script>');
  });

  it('copies the whole text, whatever the search shows', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderViewer();
    await fireEvent.input(screen.getByTestId('raw-document-search'), { target: { value: 'jwks' } });
    await fireEvent.click(screen.getByTestId('raw-document-filter'));
    await fireEvent.click(screen.getByTestId('raw-document-copy'));

    expect(writeText).toHaveBeenCalledWith(SAMPLE_RAW_DOCUMENT);
    expect(await screen.findByText('Copied', { selector: 'button' })).toBeInTheDocument();
  });
});
