//! Joining from a Welcome (§12.4.3.1).

use super::*;
use crate::clock::Clock;
use crate::messages::GroupInfo;
use crate::messages::extensions::{Extension, ExtensionType};
use crate::welcome::{NewMember, create, sign_group_info};

use super::super::{JoinKeys, join};

/// Member 1 adds `newcomer` with a full commit; returns the Welcome (GroupInfo with
/// the ratchet tree unless `tree_in_welcome` is false, signed by `signer`) and the
/// committer's next epoch.
fn welcome_for(
    f: &mut Fixture,
    newcomer: &Client,
    encrypt_to: &Client,
    tree_in_welcome: bool,
    signer: LeafIndex,
    path_secret: Option<Secret>,
) -> (crate::messages::Welcome, Group) {
    let s = suite();
    let made = commit(&f.views[1], by_value(vec![add(newcomer)]), true, &mut f.rng);
    let next = made.next;
    let extensions = if tree_in_welcome {
        vec![Extension::new(
            ExtensionType::RATCHET_TREE,
            next.tree.to_bytes(),
        )]
    } else {
        Vec::new()
    };
    let mut info = GroupInfo {
        group_context: next.context.clone(),
        extensions,
        confirmation_tag: next.confirmation_tag.clone(),
        signer,
        signature: Vec::new(),
    };
    sign_group_info(&s, &next.signer, &mut info).unwrap();
    let path = made.path.unwrap();
    let secret = path_secret.or_else(|| path.path_secret_for(LeafIndex(3)).cloned());
    let welcome = create(
        &s,
        &info,
        &next.secrets,
        &[],
        &[NewMember {
            key_package: &encrypt_to.key_package,
            path_secret: secret.as_ref(),
        }],
        &mut f.rng,
    )
    .unwrap();
    (welcome, next)
}

fn keys(c: &Client) -> JoinKeys {
    JoinKeys {
        key_package: c.key_package.clone(),
        init_private: c.init_private.clone(),
        encryption_private: c.encryption_private.clone(),
        signature_private: c.signer.clone(),
    }
}

fn try_join(
    welcome: &crate::messages::Welcome,
    c: &Client,
    tree: Option<RatchetTree>,
    clock: &dyn Clock,
) -> crate::error::Result<Group> {
    join(
        welcome,
        &keys(c),
        tree,
        &no_psks,
        GroupConfig::default(),
        clock,
    )
}

#[test]
fn a_new_member_joins_at_the_committers_epoch() {
    let mut f = Fixture::new(3);
    let newcomer = f.outsider("newcomer");
    let (welcome, committer) = welcome_for(&mut f, &newcomer, &newcomer, true, LeafIndex(1), None);
    let joined = try_join(&welcome, &newcomer, None, &NOW).unwrap();
    assert_eq!(joined.own_leaf_index(), LeafIndex(3));
    assert_eq!(joined.epoch(), committer.epoch());
    assert_eq!(
        joined.epoch_authenticator(),
        committer.epoch_authenticator()
    );
    assert_eq!(
        joined.interim_transcript_hash(),
        committer.interim_transcript_hash()
    );
    // The joiner holds the key of the root, which the path secret reached.
    assert!(joined.private_keys.get(joined.tree.root()).is_some());

    // And follows the next commit.
    let made = commit(&committer, Vec::new(), true, &mut f.rng);
    let (_, next) = process(&joined, &made.message).unwrap();
    assert_eq!(next.epoch_authenticator(), made.next.epoch_authenticator());
}

#[test]
fn a_tree_given_out_of_band_is_used() {
    let mut f = Fixture::new(3);
    let newcomer = f.outsider("newcomer");
    let (welcome, committer) = welcome_for(&mut f, &newcomer, &newcomer, false, LeafIndex(1), None);
    let tree = committer.tree().clone();
    let joined = try_join(&welcome, &newcomer, Some(tree), &NOW).unwrap();
    assert_eq!(
        joined.epoch_authenticator(),
        committer.epoch_authenticator()
    );
}

#[test]
fn a_welcome_without_a_tree_needs_one_out_of_band() {
    let mut f = Fixture::new(3);
    let newcomer = f.outsider("newcomer");
    let (welcome, _) = welcome_for(&mut f, &newcomer, &newcomer, false, LeafIndex(1), None);
    let e = try_join(&welcome, &newcomer, None, &NOW).unwrap_err();
    assert_eq!(group_violation(e), GroupViolation::MissingRatchetTree);
}

#[test]
fn a_group_info_signed_by_a_blank_leaf_is_rejected() {
    let mut f = Fixture::new(3);
    let newcomer = f.outsider("newcomer");
    let (welcome, _) = welcome_for(&mut f, &newcomer, &newcomer, true, LeafIndex(9), None);
    let e = try_join(&welcome, &newcomer, None, &NOW).unwrap_err();
    assert_eq!(
        group_violation(e),
        GroupViolation::SignerNotMember {
            signer: LeafIndex(9)
        }
    );
}

#[test]
fn a_welcome_whose_tree_lacks_our_leaf_is_rejected() {
    let mut f = Fixture::new(3);
    let added = f.outsider("added");
    let stranger = f.outsider("stranger");
    let (welcome, _) = welcome_for(&mut f, &added, &stranger, true, LeafIndex(1), None);
    let e = try_join(&welcome, &stranger, None, &NOW).unwrap_err();
    assert_eq!(group_violation(e), GroupViolation::OwnLeafNotInTree);
}

#[test]
fn a_private_key_that_does_not_match_the_key_package_is_rejected() {
    let mut f = Fixture::new(3);
    let newcomer = f.outsider("newcomer");
    let other = f.outsider("other");
    let (welcome, _) = welcome_for(&mut f, &newcomer, &newcomer, true, LeafIndex(1), None);
    let mut wrong = keys(&newcomer);
    wrong.encryption_private = other.encryption_private.clone();
    let e = join(
        &welcome,
        &wrong,
        None,
        &no_psks,
        GroupConfig::default(),
        &NOW,
    )
    .unwrap_err();
    assert_eq!(
        group_violation(e),
        GroupViolation::OwnKeyMismatch {
            which: "encryption"
        }
    );
}

#[test]
fn a_path_secret_that_does_not_match_the_tree_is_rejected() {
    let mut f = Fixture::new(3);
    let newcomer = f.outsider("newcomer");
    let bogus = Some(Secret::new(vec![3; 32]));
    let (welcome, _) = welcome_for(&mut f, &newcomer, &newcomer, true, LeafIndex(1), bogus);
    let e = try_join(&welcome, &newcomer, None, &NOW).unwrap_err();
    assert!(matches!(
        group_violation(e),
        GroupViolation::PathSecretKeyMismatch { .. }
    ));
}

#[test]
fn an_expired_leaf_in_the_tree_is_rejected_when_lifetimes_are_enforced() {
    let mut f = Fixture::new(3);
    let newcomer = f.outsider("newcomer");
    let (welcome, _) = welcome_for(&mut f, &newcomer, &newcomer, true, LeafIndex(1), None);
    let e = try_join(&welcome, &newcomer, None, &FixedClock(2_000_000_000)).unwrap_err();
    assert!(
        matches!(tree_violation(e), TreeViolation::LifetimeNotValid { .. }),
        "expected an expired lifetime"
    );
    let skip = GroupConfig {
        lifetime: super::super::LifetimePolicy::Skip,
        ..GroupConfig::default()
    };
    let joined = join(
        &welcome,
        &keys(&newcomer),
        None,
        &no_psks,
        skip,
        &FixedClock(2_000_000_000),
    );
    assert!(joined.is_ok());
}
