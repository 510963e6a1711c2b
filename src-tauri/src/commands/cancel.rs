//! Cancelling a long operation from the UI. Each kind of operation has one slot: starting a new
//! one cancels the one before, and the UI's Cancel cancels the one under way. A cancelled
//! operation is dropped where it stands, its requests with it.

use std::future::Future;
use std::marker::PhantomData;
use std::sync::Mutex;

use tokio::sync::oneshot;

use crate::error::CommandError;

/// Discovery for the editor.
pub enum Discovery {}
/// "Check all directories".
pub enum CheckAll {}
/// The test sign-in.
pub enum SignIn {}

/// The operation of kind `K` under way, if any.
pub struct CancelSlot<K> {
    running: Mutex<Option<oneshot::Sender<()>>>,
    kind: PhantomData<fn() -> K>,
}

impl<K> Default for CancelSlot<K> {
    fn default() -> Self {
        Self {
            running: Mutex::new(None),
            kind: PhantomData,
        }
    }
}

impl<K> CancelSlot<K> {
    /// Registers a new operation, cancelling the one before; the future completes when this one
    /// is cancelled or replaced.
    pub fn start(&self) -> impl Future<Output = ()> {
        let (cancel, cancelled) = oneshot::channel();
        if let Some(previous) = self.swap(Some(cancel)) {
            let _ = previous.send(());
        }
        async move {
            // A dropped sender (replaced by a newer operation) cancels too.
            let _ = cancelled.await;
        }
    }

    /// Cancels the operation under way, if any.
    pub fn cancel(&self) {
        if let Some(running) = self.swap(None) {
            let _ = running.send(());
        }
    }

    fn swap(&self, next: Option<oneshot::Sender<()>>) -> Option<oneshot::Sender<()>> {
        match self.running.lock() {
            Ok(mut slot) => std::mem::replace(&mut *slot, next),
            Err(poisoned) => std::mem::replace(&mut *poisoned.into_inner(), next),
        }
    }
}

/// Runs `operation` until it ends or is cancelled through `slot`; `what` names it in the error.
pub async fn cancellable<K, T>(
    slot: &CancelSlot<K>,
    what: &str,
    operation: impl Future<Output = Result<T, CommandError>>,
) -> Result<T, CommandError> {
    let cancelled = slot.start();
    tokio::select! {
        result = operation => result,
        () = cancelled => Err(CommandError::new("cancelled", format!("{what} was cancelled"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::pending;

    #[tokio::test]
    async fn cancel_ends_the_operation_under_way() {
        let slot = CancelSlot::<Discovery>::default();
        let running = cancellable(&slot, "discovery", pending::<Result<(), CommandError>>());
        let (result, ()) = tokio::join!(running, async { slot.cancel() });
        let error = result.unwrap_err();
        assert_eq!(error.kind, "cancelled");
        assert_eq!(error.message, "discovery was cancelled");
    }

    #[tokio::test]
    async fn a_new_operation_cancels_the_one_before() {
        let slot = CancelSlot::<CheckAll>::default();
        let first = cancellable(&slot, "the check", pending::<Result<(), CommandError>>());
        let second = async {
            tokio::task::yield_now().await;
            cancellable(&slot, "the check", async { Ok(7) }).await
        };
        let (first, second) = tokio::join!(first, second);
        assert_eq!(first.unwrap_err().kind, "cancelled");
        assert_eq!(second.unwrap(), 7);
    }

    #[tokio::test]
    async fn an_operation_that_ends_is_not_affected_by_a_late_cancel() {
        let slot = CancelSlot::<SignIn>::default();
        let done = cancellable(&slot, "the sign-in", async { Ok("done") }).await;
        slot.cancel();
        assert_eq!(done.unwrap(), "done");
    }
}
