//! The test sign-in (C5, C6): the authorization request opened in a browser, the loopback
//! redirect, the code exchange, the ID token checks and userinfo — with every claim returned,
//! grouped by source, and the step that failed when one did.

mod advice;
mod attempt;
mod callback;
mod exchange;
mod keys;
mod listener;
mod probe;
mod request;
mod result;
mod tokens;
mod trace;
mod userinfo;
mod verify;

pub use attempt::{Attempt, Interruption, StartError, DEFAULT_TIMEOUT};
pub use exchange::{exchange, ExchangeError, TokenRequest};
pub use listener::{BrowserReply, Callback, CallbackError, CallbackListener, CallbackMethod};
pub use probe::{probe_secret, ProbeVerdict, SecretProbe};
pub use request::{authorization_url, AttemptSecrets};
pub use result::{
    SignInResult, SignInStep, SignInTimings, SourceClaims, SourceStatus, StepFailure,
};
pub use trace::{SignInTrace, TraceParameter, TraceStep, TraceStepKind};
pub use verify::{verify_id_token, Check, CheckName, CheckOutcome, Expectations, CLOCK_SKEW_SECS};

// The token step words its PKCE hint as the redirect step does.
use advice::{mentions_pkce, PKCE_ADVICE};
