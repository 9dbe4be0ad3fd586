//! Drivers for the peer engines, each configured once so that all of them interoperate
//! (see `shared/notes/peers.md` §3.1 for why each knob is set as it is).

pub mod mls_rs;
pub mod openmls;
pub mod registry;

pub use self::mls_rs::MlsRs;
pub use self::openmls::OpenMls;
pub use self::registry::{NOT_AVAILABLE_YET, Registered, Registry};

use crate::driver::Engine;

/// Seconds a fresh key package or leaf is valid for, counted from now: 84 days, the
/// OpenMLS default and the range peers.md recommends.
pub(crate) const LIFETIME_SECONDS: u64 = 84 * 24 * 60 * 60;

/// Seconds a fresh key package's `not_before` lies in the past, to absorb clock skew
/// between peers (OpenMLS rejects `not_before` in the future).
pub(crate) const LIFETIME_MARGIN_SECONDS: u64 = 60 * 60;

/// Prior epochs whose application messages can still be decrypted. mls-rs keeps three
/// by default; OpenMLS is set to match so cross-epoch delivery behaves alike.
pub(crate) const MAX_PAST_EPOCHS: usize = 3;

/// Every engine the harness knows, by name, in report order. Scripts and `mlsconf`
/// name engines with these names.
///
/// To plug in another engine, implement [`Engine`] for it and replace its
/// `not_available_yet` line with `Registered::available(TheEngine)` (or add a line):
/// every script, the interop matrix and `mlsconf` pick it up from here.
pub fn all() -> Registry {
    Registry::new(vec![
        Registered::not_available_yet("ours"),
        Registered::available(OpenMls),
        Registered::available(MlsRs),
    ])
}

/// Every peer engine, in a fixed order.
pub fn peers() -> Vec<Box<dyn Engine>> {
    vec![Box::new(OpenMls), Box::new(MlsRs)]
}

/// Maps a library error to a [`DriverError`](crate::driver::DriverError) of kind
/// `Failed`. The library's `Debug` form is kept because it names the exact variant (for
/// example `ValidationError(IncompatibleWireFormat)`), which is what interop reports need.
pub(crate) fn library_error<E: std::fmt::Debug>(
    engine: &'static str,
    operation: &'static str,
) -> impl FnOnce(E) -> crate::driver::DriverError {
    move |e| crate::driver::DriverError::failed(engine, operation, format!("{e:?}"))
}
