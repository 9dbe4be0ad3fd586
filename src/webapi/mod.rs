//! The Web API for Messaging Layer Security (spec/mls-webapi.md) on top of the protocol
//! layers of this crate.
//!
//! - `store`: the per-origin encrypted store that keeps every identity, key package and
//!   group state of an origin (spec §4, §9).
//! - [`Mls`] (`mls.rs`) and [`GroupView`] (`group_view.rs`, `receive.rs`): the `MLS` and
//!   `MLSGroupView` interfaces, one method per IDL member, each step marked with the spec
//!   step it implements (`// spec: add.3`).
//! - [`bytes`]: `MLSObjectType`, `MLSBytes` and input conversion (spec §3.3);
//!   [`dictionaries`]: the result dictionaries; [`error`]: the error names (spec §3.5).
//! - The shared algorithms of spec §6: `decode.rs` (decode-message, decode-credential),
//!   `validate.rs` (validate-key-package), `commit.rs` (select, create-commit, advance).
//! - `origin_state.rs`: the records of an origin (spec §4) and their encodings;
//!   `job.rs`: one job per call, atomically over memory or the store (spec §3.2, §4.5).

/// The per-origin encrypted store (spec §9). Its transactions read records in plaintext,
/// the identity's signature private key included, so it is crate-private; the cargo
/// feature `test-support` makes it public for tests that damage or inspect stored records.
#[cfg(any(test, feature = "test-support"))]
pub mod store;
#[cfg(not(any(test, feature = "test-support")))]
pub(crate) mod store;

pub mod bytes;
mod commit;
mod decode;
pub mod dictionaries;
pub mod error;
mod group_view;
mod job;
mod mls;
mod origin;
mod origin_state;
mod receive;
mod validate;

pub use bytes::{Input, MlsBytes, ObjectType};
pub use dictionaries::{
    CommitOutput, ExporterOutput, GroupDetails, GroupMember, REMOVED_EPOCH, Received, epoch_of,
    le64,
};
pub use error::{DomExceptionName, WebApiError, WebApiResult};
pub use group_view::GroupView;
pub use mls::Mls;
pub use origin::Origin;
