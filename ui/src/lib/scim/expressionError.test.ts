import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import { markExpression } from './expressionError';
import ExpressionInput from './ExpressionInput.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

describe('expression error position', () => {
  it('marks the character at the 1-based position', () => {
    expect(markExpression('Split([a] ",")', { position: 11, message: 'expected ,' })).toEqual({
      before: 'Split([a] ',
      at: '"',
      after: ',")',
      column: 11,
    });
  });

  it('marks the first character at position 1', () => {
    const marked = markExpression(')x', { position: 1, message: 'unexpected )' });
    expect(marked.before).toBe('');
    expect(marked.at).toBe(')');
  });

  it('marks the place after the end when the expression stops too early', () => {
    const marked = markExpression('Join(",", [a]', { position: 14, message: 'missing )' });
    expect(marked.before).toBe('Join(",", [a]');
    expect(marked.at).toBe(' ');
    expect(marked.after).toBe('');
  });

  it('counts characters, not UTF-16 units', () => {
    const marked = markExpression('"😀"+', { position: 4, message: 'x' });
    expect(marked.before).toBe('"😀"');
    expect(marked.at).toBe('+');
  });

  it('clamps positions outside the expression', () => {
    expect(markExpression('abc', { position: 99, message: 'x' }).column).toBe(4);
    expect(markExpression('abc', { position: 0, message: 'x' }).column).toBe(1);
  });
});

describe('ExpressionInput', () => {
  it('shows the error with the character marked and its position', async () => {
    vi.mocked(invoke).mockResolvedValue({
      ok: false,
      error: { position: 7, message: 'expected an attribute name' },
      attributes: [],
      value: null,
    });
    render(ExpressionInput, { value: 'Split(]', id: 'e', user: null });
    const mark = await screen.findByTestId('expression-error-mark', {}, { timeout: 2000 });
    expect(mark.textContent).toBe(']');
    expect(screen.getByTestId('expression-error').textContent).toContain(
      'Character 7: expected an attribute name',
    );
    expect(vi.mocked(invoke)).toHaveBeenCalledWith('check_scim_expression', {
      expression: 'Split(]',
      user: null,
    });
  });
});
