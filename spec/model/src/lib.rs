//! An executable model of the Web API for MLS (spec/mls-webapi.md): its state machine
//! without bytes or cryptography, to be read beside the spec and run beside the
//! implementation (`tests/model.rs` runs random call sequences on both and compares).
//!
//! - `tokens.rs`: the abstract values: origins, clients, groups, messages, epochs.
//! - `origin_state.rs`: the state of the origins (spec §4.1–§4.4) and the messages output.
//! - `group_state.rs`: a group state and the pending-state machine (spec §4.4, §4.6,
//!   §6.6); `tree.rs`: who sits in which leaf; `ratchet.rs`: which application messages
//!   still decrypt (spec §4.4, §5.1).
//! - `arguments.rs`: input conversion and decoding (spec §3.3, §6.1, §6.2).
//! - `commit.rs`: *select* and *create-commit* (spec §6.4, §6.5).
//! - `mls.rs`: the `MLS` interface (spec §7); `group_view.rs` and `receive.rs`: the
//!   `MLSGroupView` interface (spec §8, the decision table §8.11.1).
//! - `call.rs`: one [`Call`] per IDL member with abstract arguments, and its [`Outcome`];
//!   [`World::call`] runs one.
//!
//! Each function cites the spec steps it models (`// spec: add.5`). What the model leaves
//! out: byte layouts, the limits no test reaches (2^30-byte values, epoch 2^64 − 1, 2^32
//! generations) and storage failures (`UnknownError`).

mod arguments;
pub mod call;
mod commit;
pub mod error;
pub mod group_state;
mod group_view;
mod mls;
pub mod origin_state;
pub mod ratchet;
mod receive;
pub mod tokens;
pub mod tree;

pub use call::{Call, ClientArg, CredentialArg, ExportArg, GroupArg, Member, MsgArg, Outcome};
pub use error::ErrorName;
pub use origin_state::{Message, World};
pub use tokens::{Client, CredentialName, EpochId, Group, Msg, Origin, ViewKey};

impl World {
    /// Runs one call: its result, and the world changed as a successful call changes it
    /// (a failed call changes nothing, spec §3.2).
    pub fn call(&mut self, call: &Call) -> error::Result<Outcome> {
        let before = self.clone();
        let result = self.dispatch(call);
        if result.is_err() {
            *self = before;
        }
        result
    }

    fn dispatch(&mut self, call: &Call) -> error::Result<Outcome> {
        match *call {
            Call::Reopen => Ok(Outcome::Done),
            Call::MlsDeleteState(o) => self.mls_delete_state(o),
            Call::GenerateIdentity(o) => self.generate_identity(o),
            Call::GenerateCredential(empty) => self.generate_credential(empty),
            Call::GenerateKeyPackage(o, c, cred) => self.generate_key_package(o, c, cred),
            Call::GroupCreate(o, c, cred) => self.group_create(o, c, cred),
            Call::GroupGet(o, g, c) => self.group_get(o, g, c),
            Call::GroupJoin(o, c, w) => self.group_join(o, c, w),
            Call::GetGroupIdFromMessage(_, m) => self.get_group_and_epoch_from_message(m, false),
            Call::GetGroupEpochFromMessage(_, m) => self.get_group_and_epoch_from_message(m, true),
            Call::ViewDeleteState(v) => self.view_delete_state(v),
            Call::Add(v, kp) => self.add(v, kp),
            Call::ProposeAdd(v, kp) => self.propose_add(v, kp),
            Call::Remove(v, c) => self.remove(v, c),
            Call::ProposeRemove(v, c) => self.propose_remove(v, c),
            Call::Close(v) => self.close(v),
            Call::Details(v) => self.details(v),
            Call::Send(v, pt) => self.send(v, pt),
            Call::Receive(v, m) => self.receive(v, m),
            Call::HasPendingProposals(v) => self.has_pending_proposals(v),
            Call::ClearPendingProposals(v) => self.clear_pending_proposals(v),
            Call::HasPendingCommit(v) => self.has_pending_commit(v),
            Call::ClearPendingCommit(v) => self.clear_pending_commit(v),
            Call::ApplyPendingCommit(v) => self.apply_pending_commit(v),
            Call::ExportSecret(v, a) => self.export_secret(v, a),
        }
    }
}
