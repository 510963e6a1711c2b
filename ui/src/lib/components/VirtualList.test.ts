import { describe, expect, it, vi } from 'vitest';
import { createRawSnippet } from 'svelte';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import VirtualList from './VirtualList.svelte';

interface Item {
  id: string;
  label: string;
}

const ROW_HEIGHT = 40;
const VIEW_HEIGHT = 400;
const OVERSCAN = 4;

function items(count: number): Item[] {
  return Array.from({ length: count }, (_, i) => ({ id: `item-${i}`, label: `Row ${i}` }));
}

// Test data only: labels are plain "Row N" strings, so building markup from them is safe here.
const row = createRawSnippet<[Item, number]>((item) => ({
  render: () => `<span class="cell">${item().label}</span>`,
}));

function renderList(
  list: Item[],
  extra: Partial<{
    selectedIndex: number;
    onselect: (index: number) => void;
    onactivate: (index: number) => void;
  }> = {},
) {
  return render(VirtualList<Item>, {
    items: list,
    rowHeight: ROW_HEIGHT,
    key: (item: Item) => item.id,
    row,
    label: 'Test list',
    overscan: OVERSCAN,
    fallbackHeight: VIEW_HEIGHT,
    ...extra,
  });
}

function renderedLabels(): string[] {
  return screen.getAllByRole('option').map((option) => option.textContent.trim());
}

describe('VirtualList', () => {
  it('renders only the rows in view out of 10,000, then the overscan once they are drawn', async () => {
    renderList(items(10_000));
    expect(screen.getAllByRole('option')).toHaveLength(VIEW_HEIGHT / ROW_HEIGHT);
    await waitFor(() => {
      expect(screen.getAllByRole('option')).toHaveLength(VIEW_HEIGHT / ROW_HEIGHT + OVERSCAN);
    });
    const options = screen.getAllByRole('option');
    expect(renderedLabels()[0]).toBe('Row 0');
    expect(options[0]).toHaveAttribute('aria-setsize', '10000');
    expect(options[0]).toHaveAttribute('aria-posinset', '1');
  });

  it('makes the scroll area as tall as all rows', () => {
    renderList(items(10_000));
    const spacer = screen.getByRole('listbox').firstElementChild as HTMLElement;
    expect(spacer.style.height).toBe(`${10_000 * ROW_HEIGHT}px`);
  });

  it('renders the rows around the scroll position after a scroll', async () => {
    renderList(items(10_000));
    await waitFor(() => {
      expect(renderedLabels()).toContain(`Row ${VIEW_HEIGHT / ROW_HEIGHT}`);
    });
    const listbox = screen.getByRole('listbox');
    listbox.scrollTop = 5_000 * ROW_HEIGHT;
    await fireEvent.scroll(listbox);
    const labels = renderedLabels();
    expect(labels).toContain('Row 5000');
    expect(labels).toContain('Row 5009');
    expect(labels).not.toContain('Row 0');
    expect(labels[0]).toBe(`Row ${5_000 - OVERSCAN}`);
    const window = listbox.querySelector<HTMLElement>('.window');
    expect(window?.style.transform).toBe(`translateY(${(5_000 - OVERSCAN) * ROW_HEIGHT}px)`);
  });

  it('moves the selection with the arrow keys, Home and End, and activates with Enter', async () => {
    const onselect = vi.fn();
    const onactivate = vi.fn();
    const { rerender } = renderList(items(50), { selectedIndex: 3, onselect, onactivate });
    const listbox = screen.getByRole('listbox');

    await fireEvent.keyDown(listbox, { key: 'ArrowDown' });
    expect(onselect).toHaveBeenLastCalledWith(4);
    await fireEvent.keyDown(listbox, { key: 'ArrowUp' });
    expect(onselect).toHaveBeenLastCalledWith(2);
    await fireEvent.keyDown(listbox, { key: 'End' });
    expect(onselect).toHaveBeenLastCalledWith(49);
    await fireEvent.keyDown(listbox, { key: 'Home' });
    expect(onselect).toHaveBeenLastCalledWith(0);
    await fireEvent.keyDown(listbox, { key: 'PageDown' });
    expect(onselect).toHaveBeenLastCalledWith(3 + VIEW_HEIGHT / ROW_HEIGHT);

    await fireEvent.keyDown(listbox, { key: 'Enter' });
    expect(onactivate).toHaveBeenCalledWith(3);

    await rerender({ selectedIndex: 49 });
    await fireEvent.keyDown(listbox, { key: 'ArrowDown' });
    expect(onselect).toHaveBeenLastCalledWith(49);
  });

  it('marks the selected row and points aria-activedescendant at it', () => {
    renderList(items(20), { selectedIndex: 2 });
    const listbox = screen.getByRole('listbox');
    const selected = screen.getByRole('option', { selected: true });
    expect(selected).toHaveTextContent('Row 2');
    expect(listbox.getAttribute('aria-activedescendant')).toBe(selected.id);
  });

  it('scrolls a selected row below the view into view', () => {
    renderList(items(1_000), { selectedIndex: 500 });
    const listbox = screen.getByRole('listbox');
    // The row's bottom edge sits at the view's bottom edge.
    expect(listbox.scrollTop).toBe(501 * ROW_HEIGHT - VIEW_HEIGHT);
    expect(renderedLabels()).toContain('Row 500');
  });

  it('selects a row on mouse down and activates it on double click', async () => {
    const onselect = vi.fn();
    const onactivate = vi.fn();
    renderList(items(20), { onselect, onactivate });
    const option = screen.getByText('Row 5').closest('[role="option"]') as HTMLElement;
    await fireEvent.mouseDown(option);
    expect(onselect).toHaveBeenCalledWith(5);
    await fireEvent.dblClick(option);
    expect(onactivate).toHaveBeenCalledWith(5);
  });
});
