//! Drivers for our engine, the peer engines and the Web API. Our engine and the peers
//! are configured once so that all of them interoperate: the settings they share are the
//! constants below, each with the reason it is set as it is; each driver explains the
//! rest of its configuration. The Web API's settings are fixed by its spec (§5.1); its
//! driver ([`webapi`]) lists where they differ from ours.

pub mod intercepted;
pub mod mls_rs;
pub mod openmls;
pub mod ours;
pub mod registry;
pub mod webapi;

pub use self::intercepted::{Intercepted, Interceptor};
pub use self::mls_rs::MlsRs;
pub use self::openmls::OpenMls;
pub use self::ours::Ours;
pub use self::registry::{NOT_AVAILABLE_YET, Registered, Registry};
pub use self::webapi::WebApi;

use crate::driver::Engine;

/// Seconds a fresh key package or leaf is valid for, counted from now: 84 days, the
/// OpenMLS default, which keeps the whole range (with [`LIFETIME_MARGIN_SECONDS`])
/// within the 84 days + 1 hour OpenMLS defines as acceptable.
pub(crate) const LIFETIME_SECONDS: u64 = 84 * 24 * 60 * 60;

/// Seconds a fresh key package's `not_before` lies in the past, to absorb clock skew
/// between peers (OpenMLS rejects `not_before` in the future).
pub(crate) const LIFETIME_MARGIN_SECONDS: u64 = 60 * 60;

/// Prior epochs whose application messages can still be decrypted. mls-rs keeps three
/// by default; OpenMLS is set to match so cross-epoch delivery behaves alike.
pub(crate) const MAX_PAST_EPOCHS: usize = 3;

/// How many generations a sender ratchet may skip ahead, and how many unused keys of
/// skipped generations are kept, for out-of-order messages within an epoch. OpenMLS
/// keeps the keys within a distance of the newest generation (`out_of_order_tolerance`,
/// default 5, which drops messages mls-rs would still decrypt); ours keeps a number of
/// keys, the highest generations, so it keeps at least those within that distance. 1000
/// both ways keeps every engine alike for any realistic schedule (mls-rs accepts 1024
/// ahead and keeps every skipped key).
pub(crate) const RATCHET_WINDOW: u32 = 1000;

/// Every engine the harness knows, by name, in report order. Scripts and `mlsconf`
/// name engines with these names.
///
/// To plug in another engine, implement [`Engine`] for it and add a
/// `Registered::available(TheEngine)` line (or `Registered::not_available_yet("name")`
/// to list it before its driver exists): every script, the interop matrix and `mlsconf`
/// pick it up from here.
pub fn all() -> Registry {
    Registry::new(vec![
        Registered::available(Ours),
        Registered::available(OpenMls),
        Registered::available(MlsRs),
        Registered::available(WebApi),
    ])
}

/// Every peer engine, in a fixed order.
pub fn peers() -> Vec<Box<dyn Engine>> {
    vec![Box::new(OpenMls), Box::new(MlsRs)]
}

/// Every engine: ours first, then the peers.
pub fn engines() -> Vec<Box<dyn Engine>> {
    let mut all: Vec<Box<dyn Engine>> = vec![Box::new(Ours)];
    all.extend(peers());
    all
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

/// Alice on `alice`'s engine and Bob on `bob`'s in a group at epoch 1 (Alice adds Bob,
/// tree in the Welcome), for the drivers' unit tests.
#[cfg(test)]
pub(crate) fn alice_and_bob(
    alice: &dyn Engine,
    bob: &dyn Engine,
) -> (
    Box<dyn crate::driver::Client>,
    Box<dyn crate::driver::Client>,
) {
    let mut alice = alice.new_client(b"alice", 1).unwrap();
    let mut bob = bob.new_client(b"bob", 1).unwrap();
    alice.create_group(b"driver tests").unwrap();
    let request = crate::driver::CommitRequest {
        add: vec![bob.key_package().unwrap()],
        ..crate::driver::CommitRequest::default()
    };
    let output = alice.commit(&request).unwrap();
    alice.apply_pending_commit().unwrap();
    bob.join_from_welcome(&output.welcome.unwrap(), None)
        .unwrap();
    (alice, bob)
}
