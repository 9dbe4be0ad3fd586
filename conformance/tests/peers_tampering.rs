//! Tampered commits: one byte flipped in the confirmation tag, the signature, an
//! UpdatePath ciphertext (or the membership tag) of a commit, and every receiving engine
//! must reject it. The genuine commit is delivered afterwards and must still be accepted,
//! so a rejection cannot come from a receiver that was broken already.
//!
//! Fields can only be located in a PublicMessage. mls-rs sends member commits that way;
//! OpenMLS is configured to send them as PrivateMessage, so for OpenMLS the fields are
//! reached through external commits (always PublicMessage), and its member commit is
//! tampered in the AEAD ciphertext instead.
//!
//! Run with `--nocapture` to see each engine's rejection.

use std::ops::Range;

use mls_conformance::commit_layout::{CommitLayout, flip_byte, locate, private_ciphertext};
use mls_conformance::driver::{CommitRequest, Engine, PathChoice, TreeDelivery};
use mls_conformance::drivers::{MlsRs, OpenMls};
use mls_conformance::session::{Participant, Session, StepResult};

const GROUP_ID: &[u8] = b"peers tampering group";

/// The authenticated fields of a PublicMessage commit.
#[derive(Debug, Clone, Copy)]
enum Field {
    ConfirmationTag,
    Signature,
    PathCiphertext,
    MembershipTag,
}

fn range_of(layout: &CommitLayout, field: Field) -> StepResult<Range<usize>> {
    let found = match field {
        Field::ConfirmationTag => Some(layout.confirmation_tag.clone()),
        Field::Signature => Some(layout.signature.clone()),
        Field::PathCiphertext => layout.first_path_ciphertext.clone(),
        Field::MembershipTag => layout.membership_tag.clone(),
    };
    found.ok_or_else(|| format!("the commit has no {field:?}"))
}

/// Each of `receivers` must reject `commit` with the middle byte of `range` flipped.
fn each_rejects(
    group: &mut Session,
    receivers: &[&str],
    commit: &[u8],
    range: Range<usize>,
) -> StepResult<()> {
    let tampered = flip_byte(commit, &range).ok_or("the field to tamper with is empty")?;
    for &name in receivers {
        let client = group.member(name)?;
        match client.process_handshake(&tampered) {
            Ok(outcome) => {
                return Err(format!(
                    "{name} ({}) accepted a tampered commit as {outcome:?}",
                    client.engine()
                ));
            }
            Err(rejection) => println!("{name} rejected it: {rejection}"),
        }
    }
    Ok(())
}

/// Alice (mls-rs) commits with a path to Bob (OpenMLS) and Carol (mls-rs); `field` of
/// that PublicMessage commit is tampered with.
fn mls_rs_member_commit(field: Field) -> StepResult<()> {
    let mut group = Session::create(Participant::new(&MlsRs, "alice")?, GROUP_ID)?;
    group.add(
        "alice",
        Participant::new(&OpenMls, "bob")?,
        TreeDelivery::InExtension,
    )?;
    group.add(
        "alice",
        Participant::new(&MlsRs, "carol")?,
        TreeDelivery::InExtension,
    )?;
    let request = CommitRequest {
        path: PathChoice::Include,
        ..CommitRequest::default()
    };
    let output = group
        .member("alice")?
        .commit(&request)
        .map_err(|e| e.to_string())?;
    let layout = locate(&output.commit)?;
    each_rejects(
        &mut group,
        &["bob", "carol"],
        &output.commit,
        range_of(&layout, field)?,
    )?;
    group
        .member("alice")?
        .apply_pending_commit()
        .map_err(|e| e.to_string())?;
    group.deliver("alice", &output.commit)?;
    group.agreement().map(drop)
}

/// Dave (`engine`) joins by external commit a group of Alice (OpenMLS) and Bob (mls-rs);
/// `field` of his commit is tampered with.
fn external_commit(engine: &dyn Engine, field: Field) -> StepResult<()> {
    let mut group = Session::create(Participant::new(&OpenMls, "alice")?, GROUP_ID)?;
    group.add(
        "alice",
        Participant::new(&MlsRs, "bob")?,
        TreeDelivery::InExtension,
    )?;
    let group_info = group
        .member("bob")?
        .group_info(TreeDelivery::InExtension)
        .map_err(|e| e.to_string())?;
    let mut dave = Participant::new(engine, "dave")?;
    let commit = dave
        .client
        .join_by_external_commit(&group_info, None)
        .map_err(|e| e.to_string())?;
    let layout = locate(&commit)?;
    each_rejects(
        &mut group,
        &["alice", "bob"],
        &commit,
        range_of(&layout, field)?,
    )?;
    group.deliver("dave", &commit)?;
    group.admit(dave);
    group.agreement().map(drop)
}

/// Alice (OpenMLS) commits to Bob (mls-rs) and Carol (OpenMLS) as a PrivateMessage; one
/// byte of its AEAD ciphertext is flipped and both must reject it. Then the genuine
/// commit goes to each of `genuine_to`, who must accept it.
fn openmls_private_member_commit(genuine_to: &[&str]) -> StepResult<()> {
    let mut group = Session::create(Participant::new(&OpenMls, "alice")?, GROUP_ID)?;
    group.add(
        "alice",
        Participant::new(&MlsRs, "bob")?,
        TreeDelivery::InExtension,
    )?;
    group.add(
        "alice",
        Participant::new(&OpenMls, "carol")?,
        TreeDelivery::InExtension,
    )?;
    let output = group
        .member("alice")?
        .commit(&CommitRequest::default())
        .map_err(|e| e.to_string())?;
    if locate(&output.commit).is_ok() {
        return Err("OpenMLS sent a member commit as PublicMessage; use the field tests".into());
    }
    let ciphertext = private_ciphertext(&output.commit)?;
    each_rejects(&mut group, &["bob", "carol"], &output.commit, ciphertext)?;
    for &name in genuine_to {
        let client = group.member(name)?;
        client
            .process_handshake(&output.commit)
            .map_err(|e| format!("{name} refused the genuine commit after a tampered copy: {e}"))?;
    }
    Ok(())
}

#[test]
fn an_mls_rs_commit_with_a_flipped_confirmation_tag_is_rejected_by_both_engines() -> StepResult<()>
{
    mls_rs_member_commit(Field::ConfirmationTag)
}

#[test]
fn an_mls_rs_commit_with_a_flipped_signature_is_rejected_by_both_engines() -> StepResult<()> {
    mls_rs_member_commit(Field::Signature)
}

#[test]
fn an_mls_rs_commit_with_a_flipped_path_ciphertext_is_rejected_by_both_engines() -> StepResult<()> {
    mls_rs_member_commit(Field::PathCiphertext)
}

#[test]
fn an_mls_rs_commit_with_a_flipped_membership_tag_is_rejected_by_both_engines() -> StepResult<()> {
    mls_rs_member_commit(Field::MembershipTag)
}

#[test]
fn an_openmls_external_commit_with_a_flipped_confirmation_tag_is_rejected_by_both_engines()
-> StepResult<()> {
    external_commit(&OpenMls, Field::ConfirmationTag)
}

#[test]
fn an_openmls_external_commit_with_a_flipped_signature_is_rejected_by_both_engines()
-> StepResult<()> {
    external_commit(&OpenMls, Field::Signature)
}

#[test]
fn an_openmls_external_commit_with_a_flipped_path_ciphertext_is_rejected_by_both_engines()
-> StepResult<()> {
    external_commit(&OpenMls, Field::PathCiphertext)
}

#[test]
fn an_mls_rs_external_commit_with_a_flipped_confirmation_tag_is_rejected_by_both_engines()
-> StepResult<()> {
    external_commit(&MlsRs, Field::ConfirmationTag)
}

#[test]
fn an_mls_rs_external_commit_with_a_flipped_signature_is_rejected_by_both_engines() -> StepResult<()>
{
    external_commit(&MlsRs, Field::Signature)
}

#[test]
fn an_mls_rs_external_commit_with_a_flipped_path_ciphertext_is_rejected_by_both_engines()
-> StepResult<()> {
    external_commit(&MlsRs, Field::PathCiphertext)
}

#[test]
fn an_openmls_private_commit_with_a_flipped_ciphertext_byte_is_rejected_by_both_engines()
-> StepResult<()> {
    openmls_private_member_commit(&["carol"])
}

/// A forged PrivateMessage must not cost the receiver the key of the genuine one.
/// mls-rs 0.57 takes the message key out of its secret tree before the AEAD check and
/// does not put it back when the check fails, so the genuine commit that follows fails
/// with `KeyMissing(0)`. OpenMLS keeps the key and accepts it (checked above for Carol).
#[test]
#[ignore = "mls-rs 0.57 deletes the message key before the AEAD check: the genuine commit then fails with KeyMissing(0)"]
fn mls_rs_still_accepts_a_genuine_private_commit_after_a_tampered_copy() -> StepResult<()> {
    openmls_private_member_commit(&["bob"])
}
