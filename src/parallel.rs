//! Work spread over the machine's cores, for the few steps that are slow only because they
//! repeat for thousands of items (a bundle's checks and fingerprints).

use std::num::NonZeroUsize;

/// `f` of each item, in the items' order, computed on every core when there are at least
/// `least` items to a thread (fewer would cost more in starting threads than they save).
pub(crate) fn map<T: Sync, R: Send>(
    items: &[T],
    least: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let part = items.len().div_ceil(threads).max(least.max(1));
    if items.len() <= part {
        return items.iter().map(f).collect();
    }
    let f = &f;
    std::thread::scope(|scope| {
        let parts: Vec<_> = items
            .chunks(part)
            .map(|chunk| scope.spawn(move || chunk.iter().map(f).collect::<Vec<_>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|part| {
                part.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::map;

    #[test]
    fn results_keep_the_items_order_however_the_work_is_split() {
        for (count, least) in [(0, 1), (1, 1), (7, 1), (1000, 1), (1000, 256), (1000, 5000)] {
            let items: Vec<usize> = (0..count).collect();
            let doubled = map(&items, least, |i| i * 2);
            assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        }
    }
}
