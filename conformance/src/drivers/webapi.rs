//! The driver for the Web API (spec/mls-webapi.md): each client is one [`Mls`] handle and,
//! once in a group, one [`GroupView`], over the encrypted store (spec §9) in a temporary
//! directory of its own.
//!
//! **One origin per client.** Every client opens its own store directory (removed when
//! the client is dropped) under one origin name. A shared origin with distinct client ids
//! would work as well (spec §4.1), but a store of its own keeps each client what the
//! harness models, a separate party: no client can see another's key packages or groups,
//! and clients played on different threads never wait for one origin's lock.
//!
//! **Only what the Web API can say.** Every action goes through the Web API's members;
//! a step it has no member for fails with [`ErrorKind::Unsupported`] naming the reason,
//! which makes the run *skipped*, never passed:
//! - external joins, GroupInfo output and out-of-band trees (spec §5.1: the tree is in
//!   every Welcome; `groupJoin` takes only a Welcome);
//! - Update and PSK proposals, registering PSKs (there is no such member);
//! - more than one Add or one Remove by value in a commit (`add` and `remove` take one);
//! - a commit of nothing by value when no proposal was received: an empty commit, or one
//!   of this member's own proposals only (the Web API commits cached proposals only with
//!   `add`, `remove`, or as the auto-commit of a received proposal);
//! - choosing the path (spec §6.5, **commit.3**: add-only commits have no path, every
//!   other commit has one): asking for the other is unsupported;
//! - sending while proposals are pending (**send.5**);
//! - receiving what the Web API does not support (a `NotSupportedError`, e.g. a PSK
//!   proposal or an external commit).
//!
//! **The auto-commit.** `receive` of a valid proposal makes a commit of every cached
//! proposal and keeps it pending (spec §4.6, **receive.14**). The harness decides when a
//! commit is made and sent, so the driver keeps that auto-commit aside as a *candidate*:
//! it is handed out only when the harness asks this member to commit the pending
//! proposals ([`Client::commit`] with nothing by value), and cleared
//! (`clearPendingCommit`) before anything it would conflict with: this member's own
//! proposal (which it does not cover), a commit by value (`add`, `remove`), or the next
//! received proposal (after which `receive` makes a new one covering both). Until then
//! it changes nothing the harness can observe: the epoch, the secrets and the members
//! are those of the current epoch (spec §4.6, last rows).
//!
//! **What the Web API does not show.** The epoch authenticator, leaf indices and
//! signature keys are not in the Web API; the driver reads them through the crate's
//! test-support accessor [`GroupView::group_for_tests`] (in [`WebApiClient::engine_group`]
//! only), and checks that `details()` lists the same members. The group id is the Web
//! API's (32 random bytes, **groupCreate.6**), not the one the harness passes.
//!
//! **Configuration, compared with the `ours` driver** (the same engine, set up for
//! interop by [`super::ours`]). The same: suite 1, basic credentials, capabilities, leaf
//! lifetimes (an hour back, 84 days ahead), PublicMessage handshakes, the tree in the
//! Welcome by default, three past epochs, padding to a multiple of 32 bytes (spec §5.3,
//! the engine's default). Different, and kept so (the Web API's settings are fixed by
//! spec §5.1; `ours` keeps the settings the peers are set to):
//! - out-of-order window: the Web API keeps 32 skipped keys per sender and goes 1,024
//!   generations ahead; `ours` keeps [`super::RATCHET_WINDOW`] (1,000) both ways;
//! - lifetimes: the Web API checks them only where spec §5.2 says (new members); `ours`
//!   has the engine check every leaf;
//! - resumption PSKs: the Web API keeps none; `ours` keeps the engine's default (5);
//! - `ours` can put the tree out of band and choose the path; the Web API cannot.
//!
//! Both configurations run every script (the `ours` and `webapi` engines of the matrix);
//! the driver's tests show the window differ and the padding agree.

use mls_webapi::codec::Codec;
use mls_webapi::crypto::CipherSuite;
use mls_webapi::group::Group;
use mls_webapi::messages::{Content, Credential, MlsMessage};
use mls_webapi::tree_math::LeafIndex;
use mls_webapi::webapi::{
    self as wa, DomExceptionName, GroupView, Mls, MlsBytes, ObjectType, REMOVED_EPOCH, Received,
    WebApiError, epoch_of,
};

use crate::driver::{
    CIPHER_SUITE_1, Client, CommitOutput, CommitRequest, DriverError, DriverResult, Engine,
    Handshake, Member, PathChoice, TreeDelivery,
};

const NAME: &str = "webapi";

/// The origin every client's store is opened for; each client has its own directory.
const ORIGIN: &str = "https://conformance.invalid";

/// The Web API, as an engine of the harness.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebApi;

impl Engine for WebApi {
    fn name(&self) -> &'static str {
        NAME
    }

    fn new_client(&self, identity: &[u8], cipher_suite: u16) -> DriverResult<Box<dyn Client>> {
        Ok(Box::new(WebApiClient::new(identity, cipher_suite)?))
    }
}

/// Maps a Web API error to a [`DriverError`]: `NotSupportedError` (valid MLS the Web API
/// does not support) is `Unsupported`, every other name `Failed`.
fn api(operation: &'static str) -> impl FnOnce(WebApiError) -> DriverError {
    move |e| match e.name {
        DomExceptionName::NotSupportedError => {
            DriverError::unsupported(NAME, operation, e.to_string())
        }
        _ => DriverError::failed(NAME, operation, e.to_string()),
    }
}

fn unsupported(operation: &'static str, why: &str) -> DriverError {
    DriverError::unsupported(NAME, operation, why)
}

fn failed(operation: &'static str, why: impl Into<String>) -> DriverError {
    DriverError::failed(NAME, operation, why)
}

/// Whether a commit `MLSMessage` of the Web API (always a PublicMessage, spec §5.1)
/// carries an UpdatePath.
fn commit_has_path(operation: &'static str, commit: &[u8]) -> DriverResult<bool> {
    match MlsMessage::from_bytes(commit) {
        Ok(MlsMessage::PublicMessage(m)) => match &m.content.content {
            Content::Commit(commit) => Ok(commit.path.is_some()),
            _ => Err(failed(operation, "the commit output is not a commit")),
        },
        _ => Err(failed(
            operation,
            "the commit output is not a PublicMessage",
        )),
    }
}

/// One client of the Web API: its store, its identity and, once in a group, its view.
pub struct WebApiClient {
    mls: Mls,
    client_id: MlsBytes,
    credential: MlsBytes,
    view: Option<GroupView>,
    /// The auto-commit `receive` made of the cached proposals, pending in the Web API
    /// but not yet handed to the harness (see the module documentation).
    candidate: Option<wa::CommitOutput>,
    /// The store's directory, removed with the client. Declared last: dropped after the
    /// handles on it.
    _dir: tempfile::TempDir,
}

impl WebApiClient {
    /// A client with a new identity and the basic credential of `identity`, in a store
    /// of its own. The Web API has one cipher suite, 1 (spec §5.1).
    pub fn new(identity: &[u8], cipher_suite: u16) -> DriverResult<Self> {
        const OP: &str = "new_client";
        if cipher_suite != CIPHER_SUITE_1 {
            return Err(unsupported(
                OP,
                "the Web API has one cipher suite, 0x0001 (spec §5.1)",
            ));
        }
        let dir = tempfile::Builder::new()
            .prefix("mls-webapi-driver-")
            .tempdir()
            .map_err(|e| failed(OP, format!("a temporary directory: {e}")))?;
        let mls = Mls::open(dir.path(), ORIGIN).map_err(api(OP))?;
        let client_id = mls.generate_identity().map_err(api(OP))?;
        let credential = mls.generate_credential(identity).map_err(api(OP))?;
        Ok(WebApiClient {
            mls,
            client_id,
            credential,
            view: None,
            candidate: None,
            _dir: dir,
        })
    }

    fn view(&self, operation: &'static str) -> DriverResult<&GroupView> {
        self.view
            .as_ref()
            .ok_or_else(|| failed(operation, "the client is not in a group"))
    }

    /// The engine's group behind the view: the one place the driver reads what the Web
    /// API does not show (test support, see the module documentation).
    fn engine_group(&self, operation: &'static str) -> DriverResult<Group> {
        self.view(operation)?
            .group_for_tests()
            .map_err(api(operation))
    }

    /// The client id (spec §5.4) of the member at `leaf`.
    fn client_id_of_leaf(&self, operation: &'static str, leaf: u32) -> DriverResult<Vec<u8>> {
        let group = self.engine_group(operation)?;
        let node = group
            .tree()
            .leaf(LeafIndex(leaf))
            .ok_or_else(|| failed(operation, format!("leaf {leaf} is blank")))?;
        Ok(client_id(&node.signature_key.0))
    }

    /// Clears the auto-commit candidate, if any, before a call it would conflict with.
    fn drop_candidate(&mut self, operation: &'static str) -> DriverResult<()> {
        if self.candidate.take().is_some() {
            self.view(operation)?
                .clear_pending_commit()
                .map_err(api(operation))?;
        }
        Ok(())
    }

    /// `receive`, clearing the auto-commit candidate first if a proposal finds it in
    /// the way (**receive.13**): `receive` then makes a new one covering both.
    fn receive(&mut self, operation: &'static str, message: &[u8]) -> DriverResult<Received> {
        let view = self.view(operation)?.clone();
        match view.receive(message) {
            Err(e) if e.name == DomExceptionName::InvalidStateError => {
                if self.candidate.is_none() {
                    return Err(unsupported(
                        operation,
                        "the Web API refuses a proposal while this member's commit is pending \
                         (receive.13)",
                    ));
                }
                self.drop_candidate(operation)?;
                view.receive(message).map_err(api(operation))
            }
            other => other.map_err(api(operation)),
        }
    }

    /// Checks a commit of ours against what the harness asked for; a commit the Web API
    /// made otherwise is cleared (`clearPendingCommit`) and the request is unsupported.
    fn as_requested(
        &mut self,
        output: wa::CommitOutput,
        request: &CommitRequest,
    ) -> DriverResult<CommitOutput> {
        const OP: &str = "commit";
        let has_path = commit_has_path(OP, &output.commit)?;
        let refusal = match request.path {
            PathChoice::Include if !has_path => Some(
                "the Web API commits Adds only without a path (commit.3); a path cannot be asked for",
            ),
            PathChoice::Omit if has_path => {
                Some("the Web API commits with a path unless the commit adds only (commit.3)")
            }
            _ if output.welcome.is_some() && request.tree == TreeDelivery::OutOfBand => {
                Some("the Web API puts the ratchet tree in every Welcome (spec §5.1)")
            }
            _ => None,
        };
        if let Some(why) = refusal {
            self.view(OP)?.clear_pending_commit().map_err(api(OP))?;
            return Err(unsupported(OP, why));
        }
        Ok(CommitOutput {
            commit: output.commit,
            welcome: output.welcome,
            has_path,
        })
    }
}

/// The client id of a signature key: SHA-256 of its bytes (spec §5.4).
fn client_id(signature_key: &[u8]) -> Vec<u8> {
    match CipherSuite::new(CIPHER_SUITE_1) {
        Ok(suite) => suite.hash(signature_key),
        Err(_) => Vec::new(),
    }
}

impl Client for WebApiClient {
    fn engine(&self) -> &'static str {
        NAME
    }

    fn key_package(&mut self) -> DriverResult<Vec<u8>> {
        let kp = self
            .mls
            .generate_key_package(&self.client_id, &self.credential)
            .map_err(api("key_package"))?;
        Ok(kp.content)
    }

    fn create_group(&mut self, _group_id: &[u8]) -> DriverResult<()> {
        // The Web API chooses the group id (groupCreate.6).
        let view = self
            .mls
            .group_create(&self.client_id, &self.credential)
            .map_err(api("create_group"))?;
        self.view = Some(view);
        Ok(())
    }

    fn join_from_welcome(
        &mut self,
        welcome: &[u8],
        ratchet_tree: Option<&[u8]>,
    ) -> DriverResult<()> {
        const OP: &str = "join_from_welcome";
        if ratchet_tree.is_some() {
            return Err(unsupported(
                OP,
                "groupJoin takes only a Welcome; the tree must be in it (spec §5.1)",
            ));
        }
        let view = self
            .mls
            .group_join(&self.client_id, welcome)
            .map_err(api(OP))?;
        self.view = Some(view);
        self.candidate = None;
        Ok(())
    }

    fn join_by_external_commit(
        &mut self,
        _group_info: &[u8],
        _ratchet_tree: Option<&[u8]>,
    ) -> DriverResult<Vec<u8>> {
        Err(unsupported(
            "join_by_external_commit",
            "the Web API has no external commits (spec §5.1)",
        ))
    }

    fn group_info(&mut self, _tree: TreeDelivery) -> DriverResult<Vec<u8>> {
        Err(unsupported(
            "group_info",
            "the Web API gives out no GroupInfo (spec §5.1)",
        ))
    }

    fn ratchet_tree(&self) -> DriverResult<Vec<u8>> {
        Err(unsupported(
            "ratchet_tree",
            "the Web API gives out no ratchet tree; it is in every Welcome (spec §5.1)",
        ))
    }

    fn propose_add(&mut self, key_package: &[u8]) -> DriverResult<Vec<u8>> {
        const OP: &str = "propose_add";
        self.drop_candidate(OP)?;
        let proposal = self.view(OP)?.propose_add(key_package).map_err(api(OP))?;
        Ok(proposal.content)
    }

    fn propose_remove(&mut self, leaf_index: u32) -> DriverResult<Vec<u8>> {
        const OP: &str = "propose_remove";
        let removed = self.client_id_of_leaf(OP, leaf_index)?;
        self.drop_candidate(OP)?;
        let proposal = self
            .view(OP)?
            .propose_remove(MlsBytes::new(ObjectType::ClientIdentifier, removed))
            .map_err(api(OP))?;
        Ok(proposal.content)
    }

    fn propose_self_update(&mut self) -> DriverResult<Vec<u8>> {
        Err(unsupported(
            "propose_self_update",
            "the Web API has no Update proposals",
        ))
    }

    fn propose_external_psk(&mut self, _psk_id: &[u8]) -> DriverResult<Vec<u8>> {
        Err(unsupported(
            "propose_external_psk",
            "the Web API has no PSKs (spec §5.1)",
        ))
    }

    fn commit(&mut self, request: &CommitRequest) -> DriverResult<CommitOutput> {
        const OP: &str = "commit";
        let view = self.view(OP)?.clone();
        if self.candidate.is_none() && view.has_pending_commit().map_err(api(OP))? {
            return Err(failed(
                OP,
                "a commit is pending already; apply or discard it first",
            ));
        }
        let output = match (request.add.as_slice(), request.remove.as_slice()) {
            ([], []) => self.candidate.take().ok_or_else(|| {
                unsupported(
                    OP,
                    "the Web API commits no proposal of its own and makes no empty commit: \
                     it commits cached proposals with add, remove, or when it receives one",
                )
            })?,
            ([key_package], []) => {
                self.drop_candidate(OP)?;
                view.add(key_package.as_slice()).map_err(api(OP))?
            }
            ([], [leaf]) => {
                let removed = self.client_id_of_leaf(OP, *leaf)?;
                self.drop_candidate(OP)?;
                view.remove(MlsBytes::new(ObjectType::ClientIdentifier, removed))
                    .map_err(api(OP))?
            }
            _ => {
                return Err(unsupported(
                    OP,
                    "the Web API commits one Add or one Remove by value at a time",
                ));
            }
        };
        self.as_requested(output, request)
    }

    fn apply_pending_commit(&mut self) -> DriverResult<()> {
        const OP: &str = "apply_pending_commit";
        if self.candidate.is_some() {
            return Err(failed(OP, "there is no pending commit"));
        }
        self.view(OP)?.apply_pending_commit().map_err(api(OP))?;
        Ok(())
    }

    fn discard_pending_commit(&mut self) -> DriverResult<()> {
        const OP: &str = "discard_pending_commit";
        // The candidate is not the harness's commit; it stays.
        if self.candidate.is_none() {
            self.view(OP)?.clear_pending_commit().map_err(api(OP))?;
        }
        Ok(())
    }

    fn process_handshake(&mut self, message: &[u8]) -> DriverResult<Handshake> {
        const OP: &str = "process_handshake";
        let received = self.receive(OP, message)?;
        match received.kind {
            ObjectType::CommitOutput => {
                self.candidate = received.commit_output;
                Ok(Handshake::ProposalStored)
            }
            ObjectType::CommitProcessed => {
                self.candidate = None;
                let removed = received.group_epoch.as_deref() == Some(&REMOVED_EPOCH[..]);
                Ok(Handshake::CommitApplied { removed })
            }
            // `receive` has read it; unlike the other engines it is gone now.
            _ => Err(failed(
                OP,
                "the message is not a handshake (it is an application message)",
            )),
        }
    }

    fn protect(&mut self, plaintext: &[u8]) -> DriverResult<Vec<u8>> {
        const OP: &str = "protect";
        let view = self.view(OP)?;
        if view.has_pending_proposals().map_err(api(OP))? {
            return Err(unsupported(
                OP,
                "the Web API sends nothing while proposals are pending (send.5)",
            ));
        }
        let ciphertext = view.send(plaintext).map_err(api(OP))?;
        Ok(ciphertext.content)
    }

    fn unprotect(&mut self, message: &[u8]) -> DriverResult<Vec<u8>> {
        const OP: &str = "unprotect";
        let received = self.view(OP)?.receive(message).map_err(api(OP))?;
        match (received.kind, received.content) {
            (ObjectType::ApplicationMessagePlaintext, Some(content)) => Ok(content),
            _ => Err(failed(OP, "the message is not an application message")),
        }
    }

    fn register_external_psk(&mut self, _psk_id: &[u8], _secret: &[u8]) -> DriverResult<()> {
        Err(unsupported(
            "register_external_psk",
            "the Web API has no PSKs (spec §5.1)",
        ))
    }

    fn export_secret(&self, label: &[u8], context: &[u8], length: usize) -> DriverResult<Vec<u8>> {
        const OP: &str = "export_secret";
        let output = self
            .view(OP)?
            .export_secret(label, context, length as u64)
            .map_err(api(OP))?;
        Ok(output.secret)
    }

    fn epoch_authenticator(&self) -> DriverResult<Vec<u8>> {
        Ok(self
            .engine_group("epoch_authenticator")?
            .epoch_authenticator()
            .to_vec())
    }

    fn epoch(&self) -> DriverResult<u64> {
        const OP: &str = "epoch";
        let details = self.view(OP)?.details().map_err(api(OP))?;
        epoch_of(&details.group_epoch).ok_or_else(|| failed(OP, "groupEpoch is not 8 bytes"))
    }

    /// The members from the engine's tree, checked against what `details()` lists.
    fn members(&self) -> DriverResult<Vec<Member>> {
        const OP: &str = "members";
        let details = self.view(OP)?.details().map_err(api(OP))?;
        let group = self.engine_group(OP)?;
        let mut members = Vec::new();
        let mut listed = details.members.iter();
        for (leaf, node) in group.members() {
            let Credential::Basic { identity } = &node.credential else {
                return Err(failed(OP, format!("leaf {} is not basic", leaf.0)));
            };
            let shown = listed.next();
            let agrees = shown.is_some_and(|m| {
                m.client_id == client_id(&node.signature_key.0)
                    && m.credential == node.credential.to_bytes()
            });
            if !agrees {
                return Err(failed(
                    OP,
                    format!("details() does not list leaf {} as the tree has it", leaf.0),
                ));
            }
            members.push(Member {
                leaf_index: leaf.0,
                identity: identity.clone(),
                signature_key: node.signature_key.0.clone(),
            });
        }
        if listed.next().is_some() {
            return Err(failed(OP, "details() lists more members than the tree"));
        }
        Ok(members)
    }

    fn own_leaf_index(&self) -> DriverResult<u32> {
        Ok(self.engine_group("own_leaf_index")?.own_leaf_index().0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drivers::{Ours, alice_and_bob};

    #[test]
    fn a_received_proposal_is_committed_only_when_the_harness_asks() {
        let (mut alice, mut bob) = alice_and_bob(&Ours, &WebApi);
        let carol = Ours.new_client(b"carol", 1).unwrap().key_package().unwrap();
        let proposal = alice.propose_add(&carol).unwrap();
        assert_eq!(
            bob.process_handshake(&proposal).unwrap(),
            Handshake::ProposalStored
        );
        // The Web API's auto-commit is not applied behind the harness's back.
        assert_eq!(bob.epoch().unwrap(), 1);
        assert!(bob.apply_pending_commit().is_err());
        let output = bob.commit(&CommitRequest::default()).unwrap();
        assert!(output.welcome.is_some());
        bob.apply_pending_commit().unwrap();
        alice.process_handshake(&output.commit).unwrap();
        assert_eq!(bob.epoch().unwrap(), 2);
        assert_eq!(alice.epoch_authenticator(), bob.epoch_authenticator());
    }

    #[test]
    fn an_empty_commit_and_an_update_are_unsupported() {
        let (_alice, mut bob) = alice_and_bob(&Ours, &WebApi);
        let e = bob.commit(&CommitRequest::default()).unwrap_err();
        assert!(e.is_unsupported(), "{e}");
        let e = bob.propose_self_update().unwrap_err();
        assert!(e.is_unsupported(), "{e}");
        assert_eq!(bob.epoch().unwrap(), 1);
    }

    #[test]
    fn a_path_on_an_add_only_commit_is_unsupported_and_leaves_no_pending_commit() {
        let (mut alice, _bob) = alice_and_bob(&WebApi, &Ours);
        let carol = Ours.new_client(b"carol", 1).unwrap().key_package().unwrap();
        let request = CommitRequest {
            add: vec![carol.clone()],
            path: PathChoice::Include,
            ..CommitRequest::default()
        };
        assert!(alice.commit(&request).unwrap_err().is_unsupported());
        // Nothing is pending: a commit as the Web API makes it goes through.
        let request = CommitRequest {
            add: vec![carol],
            ..CommitRequest::default()
        };
        assert!(!alice.commit(&request).unwrap().has_path);
    }

    #[test]
    fn a_webapi_member_removes_by_leaf_and_the_removed_one_learns_it() {
        let (mut alice, mut bob) = alice_and_bob(&WebApi, &WebApi);
        let leaf = bob.own_leaf_index().unwrap();
        let request = CommitRequest {
            remove: vec![leaf],
            ..CommitRequest::default()
        };
        let output = alice.commit(&request).unwrap();
        assert!(output.has_path);
        alice.apply_pending_commit().unwrap();
        assert_eq!(
            bob.process_handshake(&output.commit).unwrap(),
            Handshake::CommitApplied { removed: true }
        );
        assert_eq!(alice.members().unwrap().len(), 1);
    }

    /// The padding of spec §5.3 is the engine's default, which `ours` keeps: the same
    /// plaintext gives ciphertexts of the same length.
    #[test]
    fn ours_and_the_webapi_pad_application_messages_alike() {
        let (mut ours, mut webapi) = alice_and_bob(&Ours, &WebApi);
        let by_webapi = webapi.protect(b"x").unwrap();
        let by_ours = ours.protect(b"x").unwrap();
        assert_eq!(by_webapi.len(), by_ours.len());
        assert_eq!(ours.unprotect(&by_webapi).unwrap(), b"x");
        assert_eq!(webapi.unprotect(&by_ours).unwrap(), b"x");
    }

    /// The out-of-order window (spec §5.1: 32 skipped keys kept) against the 1,000 of
    /// `ours`: after the last of 40 messages, the seventh is readable by ours only.
    #[test]
    fn the_webapi_keeps_32_skipped_keys_and_ours_keeps_more() {
        let (mut alice, mut webapi) = alice_and_bob(&Ours, &WebApi);
        let mut ours = Ours.new_client(b"carol", 1).unwrap();
        let request = CommitRequest {
            add: vec![ours.key_package().unwrap()],
            ..CommitRequest::default()
        };
        let output = alice.commit(&request).unwrap();
        alice.apply_pending_commit().unwrap();
        webapi.process_handshake(&output.commit).unwrap();
        ours.join_from_welcome(&output.welcome.unwrap(), None)
            .unwrap();
        let sent: Vec<Vec<u8>> = (0..40).map(|_| alice.protect(b"m").unwrap()).collect();
        // The last message first: 39 generations are skipped; the Web API keeps the
        // keys of the 32 highest (7 to 38).
        assert_eq!(webapi.unprotect(&sent[39]).unwrap(), b"m");
        assert_eq!(ours.unprotect(&sent[39]).unwrap(), b"m");
        assert_eq!(webapi.unprotect(&sent[7]).unwrap(), b"m");
        assert!(webapi.unprotect(&sent[6]).is_err());
        assert_eq!(ours.unprotect(&sent[6]).unwrap(), b"m");
    }
}
