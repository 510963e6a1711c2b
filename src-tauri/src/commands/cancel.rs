//! Cancelling a long operation from the UI. Each kind of operation has one slot: starting a new
//! one cancels the one before, and the UI's Cancel cancels the one under way. A cancelled
//! operation is dropped where it stands, its requests with it.

use std::future::Future;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use sso_console::error_kind::ErrorKind;
use tokio::sync::OwnedMutexGuard;
use tokio_util::sync::CancellationToken;

use crate::error::CommandError;

/// Discovery for the editor.
pub enum Discovery {}
/// "Check all directories".
pub enum CheckAll {}
/// The test sign-in.
pub enum SignIn {}
/// SCIM Test Connection or endpoint review.
pub enum ScimCheck {}
/// The SCIM lifecycle dry run.
pub enum DryRun {}

/// The operation of kind `K` under way, if any.
pub struct CancelSlot<K> {
    running: Mutex<Option<CancellationToken>>,
    /// Held by an operation for as long as it holds anything the next one needs (the sign-in's
    /// port): see [`CancelSlot::turn`].
    turn: Arc<tokio::sync::Mutex<()>>,
    kind: PhantomData<fn() -> K>,
}

impl<K> Default for CancelSlot<K> {
    fn default() -> Self {
        Self {
            running: Mutex::new(None),
            turn: Arc::default(),
            kind: PhantomData,
        }
    }
}

impl<K> CancelSlot<K> {
    /// Registers a new operation and cancels the one before. The token is cancelled when this
    /// operation is cancelled or replaced, including while it is still being prepared, so no
    /// cancel is lost.
    pub fn start(&self) -> CancellationToken {
        let token = CancellationToken::new();
        if let Some(previous) = self.swap(Some(token.clone())) {
            previous.cancel();
        }
        token
    }

    /// Cancels the operation under way, if any.
    pub fn cancel(&self) {
        if let Some(running) = self.swap(None) {
            running.cancel();
        }
    }

    /// Waits until the operation before has ended and let go of what it held, then holds the
    /// turn until the guard is dropped. Call it after [`CancelSlot::start`], which cancels the
    /// operation before, so the wait is short.
    pub async fn turn(&self) -> OwnedMutexGuard<()> {
        self.turn.clone().lock_owned().await
    }

    fn swap(&self, next: Option<CancellationToken>) -> Option<CancellationToken> {
        match self.running.lock() {
            Ok(mut slot) => std::mem::replace(&mut *slot, next),
            Err(poisoned) => std::mem::replace(&mut *poisoned.into_inner(), next),
        }
    }
}

/// The error of an operation that was cancelled; `what` names it.
pub fn cancelled(what: &str) -> CommandError {
    CommandError::new(ErrorKind::Cancelled, format!("{what} was cancelled"))
}

/// Runs `operation` until it ends or is cancelled through `slot`; `what` names it in the error.
pub async fn cancellable<K, T>(
    slot: &CancelSlot<K>,
    what: &str,
    operation: impl Future<Output = Result<T, CommandError>>,
) -> Result<T, CommandError> {
    let token = slot.start();
    tokio::select! {
        result = operation => result,
        () = token.cancelled() => Err(cancelled(what)),
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
        assert_eq!(error.kind, ErrorKind::Cancelled);
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
        assert_eq!(first.unwrap_err().kind, ErrorKind::Cancelled);
        assert_eq!(second.unwrap(), 7);
    }

    #[tokio::test]
    async fn a_cancel_before_the_operation_waits_is_not_lost() {
        let slot = CancelSlot::<SignIn>::default();
        let token = slot.start();
        slot.cancel();
        // The operation was still being prepared when the cancel came; it sees it on arrival.
        tokio::time::timeout(std::time::Duration::from_secs(5), token.cancelled())
            .await
            .expect("the cancel was kept");
    }

    #[tokio::test]
    async fn the_next_operation_gets_its_turn_once_the_one_before_let_go() {
        let slot = Arc::new(CancelSlot::<SignIn>::default());
        let first = slot.start();
        let held = slot.turn().await;
        let second = {
            let slot = slot.clone();
            tokio::spawn(async move {
                let _token = slot.start();
                let _turn = slot.turn().await;
            })
        };
        // The second start cancels the first, which lets go of its turn only then.
        tokio::time::timeout(std::time::Duration::from_secs(5), first.cancelled())
            .await
            .expect("the first operation is cancelled by the second's start");
        assert!(
            !second.is_finished(),
            "the second waits for the first's turn"
        );
        drop(held);
        tokio::time::timeout(std::time::Duration::from_secs(5), second)
            .await
            .expect("the second gets its turn")
            .unwrap();
    }

    #[tokio::test]
    async fn an_operation_that_ends_is_not_affected_by_a_late_cancel() {
        let slot = CancelSlot::<SignIn>::default();
        let done = cancellable(&slot, "the sign-in", async { Ok("done") }).await;
        slot.cancel();
        assert_eq!(done.unwrap(), "done");
    }
}
