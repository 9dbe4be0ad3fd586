//! Sending proposals by reference (RFC 9420 §12.1): an Add, Remove, Update or
//! PreSharedKey proposal in its own message, for a later commit to cover by reference.
//!
//! ```text
//! struct {
//!     ProposalType proposal_type;
//!     select (Proposal.proposal_type) {
//!         case add:                      Add;
//!         case update:                   Update;
//!         case remove:                   Remove;
//!         case psk:                      PreSharedKey;
//!         ...
//!     };
//! } Proposal;
//! ```
//!
//! The message is signed and protected like a commit, as the configuration says
//! (PublicMessage by default). The sender caches its own proposal too, under the same
//! reference the receivers compute (`RefHash("MLS 1.0 Proposal Reference",
//! AuthenticatedContent)`, §5.2), so that any member, itself included, can commit it.

use crate::clock::Clock;
use crate::crypto::{HpkePrivateKey, Random};
use crate::error::Result;
use crate::messages::{
    Content, KeyPackage, LeafNodeSource, MlsMessage, PreSharedKey, PreSharedKeyId, Proposal,
    ProposalRef, PskSource, Remove, Sender, Update,
};
use crate::ratchet_tree::TreeViolation;
use crate::tree_math::LeafIndex;

use super::create::LEAF_NODE_LABEL;
use super::next_epoch::CommittedProposal;
use super::proposals::apply_proposals;
use super::state::{CachedProposal, Group};

/// A proposal sent in its own message.
#[derive(Debug, Clone)]
pub struct SentProposal {
    /// The message to send to the group.
    pub message: MlsMessage,
    /// The reference a commit covers it by.
    pub reference: ProposalRef,
    /// The group after sending: the proposal is cached (and, for a PrivateMessage, one
    /// generation of our handshake ratchet is used up).
    pub group: Group,
}

impl Group {
    /// A `PreSharedKeyID` for the PSK `psk` with a fresh random `psk_nonce` of
    /// `KDF.Nh` bytes (§8.4: "the `psk_nonce` of its PreSharedKeyID MUST be set to a
    /// fresh random value of length `KDF.Nh`"). Fails only if the random source does.
    pub fn psk_id(&self, psk: PskSource, rng: &mut dyn Random) -> Result<PreSharedKeyId> {
        Ok(PreSharedKeyId {
            psk,
            psk_nonce: rng.bytes(self.suite.hash_len())?,
        })
    }

    /// Proposes adding the client of `key_package` (§12.1.1). The KeyPackage is checked
    /// first as a commit would check it (§10.1, §12.2), so that an invalid one fails
    /// here with the rule it breaks.
    pub fn propose_add(
        &self,
        key_package: KeyPackage,
        authenticated_data: &[u8],
        clock: &dyn Clock,
        rng: &mut dyn Random,
    ) -> Result<SentProposal> {
        let proposal = Proposal::Add(crate::messages::Add { key_package });
        apply_proposals(
            &self.suite,
            &self.context,
            &self.tree,
            Sender::Member(self.own_leaf),
            &[CommittedProposal {
                proposal: proposal.clone(),
                sender: Sender::Member(self.own_leaf),
                reference: None,
            }],
            self.config.lifetime_check(clock),
        )?;
        self.send_proposal(proposal, None, authenticated_data, rng)
    }

    /// Proposes removing the member at `removed` (§12.1.3); it may be ourselves, for
    /// another member to commit. Fails with
    /// [`TreeViolation::RemovedLeafNotMember`] if the leaf is blank or outside the
    /// tree.
    pub fn propose_remove(
        &self,
        removed: LeafIndex,
        authenticated_data: &[u8],
        rng: &mut dyn Random,
    ) -> Result<SentProposal> {
        if self.tree.leaf(removed).is_none() {
            return Err(TreeViolation::RemovedLeafNotMember { leaf: removed }.into());
        }
        self.send_proposal(
            Proposal::Remove(Remove { removed }),
            None,
            authenticated_data,
            rng,
        )
    }

    /// Proposes replacing our leaf (§12.1.2) with a copy that has a fresh encryption key,
    /// `leaf_node_source = update`, signed over our group and position (§7.2). The new
    /// private key is kept with the cached proposal and takes effect if another member
    /// commits it (a member cannot commit its own Update, §12.2).
    pub fn propose_update(
        &self,
        authenticated_data: &[u8],
        rng: &mut dyn Random,
    ) -> Result<SentProposal> {
        let mut leaf =
            self.tree
                .leaf(self.own_leaf)
                .cloned()
                .ok_or(TreeViolation::UpdateSenderNotMember {
                    leaf: self.own_leaf,
                })?;
        let (private, public) = self.suite.hpke_generate_key_pair(rng)?;
        leaf.encryption_key = public;
        leaf.leaf_node_source = LeafNodeSource::Update;
        leaf.signature = self.suite.sign_with_label(
            &self.signer,
            LEAF_NODE_LABEL,
            &leaf.to_be_signed(&self.context.group_id, self.own_leaf),
        )?;
        let proposal = Proposal::Update(Update { leaf_node: leaf });
        self.send_proposal(proposal, Some(private), authenticated_data, rng)
    }

    /// Proposes injecting the PSK `psk` (§12.1.4), with a fresh nonce. Every member that
    /// processes the commit must hold the PSK.
    pub fn propose_psk(
        &self,
        psk: PskSource,
        authenticated_data: &[u8],
        rng: &mut dyn Random,
    ) -> Result<SentProposal> {
        let psk = self.psk_id(psk, rng)?;
        let proposal = Proposal::PreSharedKey(PreSharedKey { psk });
        self.send_proposal(proposal, None, authenticated_data, rng)
    }

    /// Signs, protects and caches one proposal of ours.
    fn send_proposal(
        &self,
        proposal: Proposal,
        own_update_key: Option<HpkePrivateKey>,
        authenticated_data: &[u8],
        rng: &mut dyn Random,
    ) -> Result<SentProposal> {
        let signed =
            self.sign_handshake(Content::Proposal(proposal.clone()), authenticated_data)?;
        let reference = self.proposal_ref(&signed);
        let (message, mut group) = self.protect_handshake(&signed, rng)?;
        group.proposals.insert(CachedProposal {
            reference: reference.clone(),
            proposal,
            sender: Sender::Member(self.own_leaf),
            own_update_key,
        });
        Ok(SentProposal {
            message,
            reference,
            group,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SeededRandom;
    use crate::error::{Error, ProtocolViolation};
    use crate::group::create::tests::{NOW, bundle, group_of};
    use crate::group::{CommitOptions, GroupConfig, GroupViolation, Processed, no_psks};

    #[test]
    fn a_sent_proposal_is_cached_under_the_reference_its_receivers_compute() {
        let mut rng = SeededRandom::new(1);
        let views = group_of(2, GroupConfig::default(), &mut rng);
        let sent = views[0]
            .propose_remove(LeafIndex(1), b"ad", &mut rng)
            .unwrap();
        assert!(
            sent.group
                .pending_proposals()
                .get(&sent.reference)
                .is_some()
        );
        assert!(views[0].pending_proposals().is_empty());
        let (processed, _) = views[1].process(&sent.message, &no_psks, &NOW).unwrap();
        let Processed::Proposal(received) = processed else {
            panic!("not a proposal: {processed:?}");
        };
        assert_eq!(received.reference, sent.reference);
        assert_eq!(received.sender, Sender::Member(LeafIndex(0)));
    }

    #[test]
    fn proposing_to_remove_a_blank_leaf_fails() {
        let mut rng = SeededRandom::new(2);
        let views = group_of(2, GroupConfig::default(), &mut rng);
        let e = views[0]
            .propose_remove(LeafIndex(5), b"", &mut rng)
            .unwrap_err();
        assert_eq!(
            e,
            Error::Protocol(ProtocolViolation::Tree(
                TreeViolation::RemovedLeafNotMember { leaf: LeafIndex(5) }
            ))
        );
    }

    #[test]
    fn proposing_to_add_a_client_already_in_the_group_fails_before_sending() {
        let mut rng = SeededRandom::new(3);
        let views = group_of(2, GroupConfig::default(), &mut rng);
        // A new KeyPackage of member 1's client: same signature key.
        let options = crate::group::LeafOptions::new(
            &views[1].cipher_suite(),
            views[1].own_leaf_node().unwrap().credential.clone(),
            crate::messages::Lifetime {
                not_before: 0,
                not_after: u64::MAX,
            },
        );
        let again = crate::group::KeyPackageBundle::new(
            &views[1].cipher_suite(),
            views[1].signer.clone(),
            &options,
            &mut rng,
        )
        .unwrap();
        let e = views[0]
            .propose_add(again.key_package, b"", &NOW, &mut rng)
            .unwrap_err();
        assert_eq!(
            e,
            Error::Protocol(ProtocolViolation::Group(
                GroupViolation::AddOfExistingMember {
                    member: LeafIndex(1)
                }
            ))
        );
        let fresh = bundle(b"fresh", &mut rng).key_package;
        assert!(views[0].propose_add(fresh, b"", &NOW, &mut rng).is_ok());
    }

    #[test]
    fn an_update_takes_effect_when_another_member_commits_it() {
        let mut rng = SeededRandom::new(4);
        let views = group_of(3, GroupConfig::default(), &mut rng);
        let sent = views[1].propose_update(b"", &mut rng).unwrap();
        let Proposal::Update(update) = &sent
            .group
            .pending_proposals()
            .get(&sent.reference)
            .unwrap()
            .proposal
        else {
            panic!("not an Update");
        };
        let new_key = update.leaf_node.encryption_key.clone();
        let (_, committer) = views[0].process(&sent.message, &no_psks, &NOW).unwrap();
        let (_, third) = views[2].process(&sent.message, &no_psks, &NOW).unwrap();
        let pending = committer
            .commit(&CommitOptions::default(), &no_psks, &NOW, &mut rng)
            .unwrap();
        let (_, updated) = sent
            .group
            .process(&pending.message, &no_psks, &NOW)
            .unwrap();
        let (_, third) = third.process(&pending.message, &no_psks, &NOW).unwrap();
        assert_eq!(updated.own_leaf_node().unwrap().encryption_key, new_key);
        // The updated member still reads a path encrypted to its new key.
        let next = third
            .commit(&CommitOptions::default(), &no_psks, &NOW, &mut rng)
            .unwrap();
        let (_, updated) = updated.process(&next.message, &no_psks, &NOW).unwrap();
        assert_eq!(
            updated.epoch_authenticator(),
            next.next.epoch_authenticator()
        );
    }

    #[test]
    fn a_psk_id_has_a_fresh_nonce_of_hash_length() {
        let mut rng = SeededRandom::new(5);
        let views = group_of(1, GroupConfig::default(), &mut rng);
        let source = PskSource::External { psk_id: vec![1] };
        let a = views[0].psk_id(source.clone(), &mut rng).unwrap();
        let b = views[0].psk_id(source, &mut rng).unwrap();
        assert_eq!(a.psk_nonce.len(), 32);
        assert_ne!(a.psk_nonce, b.psk_nonce);
    }
}
