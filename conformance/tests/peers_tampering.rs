//! Tampered commits: one byte flipped in the confirmation tag, the signature, an
//! UpdatePath ciphertext (or the membership tag) of a commit, and every receiving engine
//! must reject it. Each group holds a receiver of every engine (ours, OpenMLS, mls-rs).
//! The genuine commit is delivered afterwards and must still be accepted, so a rejection
//! cannot come from a receiver that was broken already.
//!
//! Fields can only be located in a PublicMessage. mls-rs and our engine send member
//! commits that way; OpenMLS is configured to send them as PrivateMessage, so for
//! OpenMLS the fields are reached through external commits (always PublicMessage), and
//! its member commit is tampered in the AEAD ciphertext instead.
//!
//! Run with `--nocapture` to see each engine's rejection.

use std::ops::Range;

use mls_conformance::commit_layout::{CommitLayout, flip_byte, locate, private_ciphertext};
use mls_conformance::driver::{CommitRequest, Engine, PathChoice, TreeDelivery};
use mls_conformance::drivers::{MlsRs, OpenMls, Ours};
use mls_conformance::session::{Participant, Session, StepResult};

const GROUP_ID: &[u8] = b"peers tampering group";

/// The receivers every group below holds, one per engine, beside the sender.
const RECEIVERS: [&str; 3] = ["bob", "carol", "dave"];

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

/// A group that `alice` (of `creator`) made, with Bob (OpenMLS), Carol (mls-rs) and
/// Dave (ours) added one by one.
fn one_receiver_of_each_engine(creator: &dyn Engine) -> StepResult<Session> {
    let mut group = Session::create(Participant::new(creator, "alice")?, GROUP_ID)?;
    let receivers: [(&dyn Engine, &str); 3] =
        [(&OpenMls, "bob"), (&MlsRs, "carol"), (&Ours, "dave")];
    for (engine, name) in receivers {
        group.add(
            "alice",
            Participant::new(engine, name)?,
            TreeDelivery::InExtension,
        )?;
    }
    group.agreement()?;
    Ok(group)
}

/// Alice (`sender`, an engine that sends member commits as PublicMessage) commits with a
/// path to a receiver of every engine; `field` of that commit is tampered with.
fn public_member_commit(sender: &dyn Engine, field: Field) -> StepResult<()> {
    let mut group = one_receiver_of_each_engine(sender)?;
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
        &RECEIVERS,
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

/// Erin (`engine`) joins by external commit a group of Alice (OpenMLS), Bob (mls-rs)
/// and Carol (ours), through the GroupInfo of `publisher`; `field` of her commit is
/// tampered with.
fn external_commit(engine: &dyn Engine, publisher: &str, field: Field) -> StepResult<()> {
    let mut group = Session::create(Participant::new(&OpenMls, "alice")?, GROUP_ID)?;
    group.add(
        "alice",
        Participant::new(&MlsRs, "bob")?,
        TreeDelivery::InExtension,
    )?;
    group.add(
        "bob",
        Participant::new(&Ours, "carol")?,
        TreeDelivery::InExtension,
    )?;
    let group_info = group
        .member(publisher)?
        .group_info(TreeDelivery::InExtension)
        .map_err(|e| e.to_string())?;
    let mut erin = Participant::new(engine, "erin")?;
    let commit = erin
        .client
        .join_by_external_commit(&group_info, None)
        .map_err(|e| e.to_string())?;
    let layout = locate(&commit)?;
    each_rejects(
        &mut group,
        &["alice", "bob", "carol"],
        &commit,
        range_of(&layout, field)?,
    )?;
    group.deliver("erin", &commit)?;
    group.admit(erin);
    group.agreement().map(drop)
}

/// Alice (OpenMLS) commits to a receiver of every engine as a PrivateMessage; one byte
/// of its AEAD ciphertext is flipped and every receiver must reject it. Then the genuine
/// commit goes to each of `genuine_to`, and what each made of it is returned.
fn openmls_private_member_commit(genuine_to: &[&str]) -> StepResult<Vec<Result<(), String>>> {
    let mut group = one_receiver_of_each_engine(&OpenMls)?;
    let output = group
        .member("alice")?
        .commit(&CommitRequest::default())
        .map_err(|e| e.to_string())?;
    if locate(&output.commit).is_ok() {
        return Err("OpenMLS sent a member commit as PublicMessage; use the field tests".into());
    }
    let ciphertext = private_ciphertext(&output.commit)?;
    each_rejects(&mut group, &RECEIVERS, &output.commit, ciphertext)?;
    genuine_to
        .iter()
        .map(|&name| {
            let client = group.member(name)?;
            Ok(client
                .process_handshake(&output.commit)
                .map(drop)
                .map_err(|e| e.to_string()))
        })
        .collect()
}

/// Every one of `receivers` accepts the genuine commit after a tampered copy.
fn each_accepts_the_genuine_private_commit(receivers: &[&str]) -> StepResult<()> {
    let outcomes = openmls_private_member_commit(receivers)?;
    for (name, outcome) in receivers.iter().zip(outcomes) {
        outcome
            .map_err(|e| format!("{name} refused the genuine commit after a tampered copy: {e}"))?;
    }
    Ok(())
}

#[test]
fn an_mls_rs_commit_with_a_flipped_confirmation_tag_is_rejected_by_every_engine() -> StepResult<()>
{
    public_member_commit(&MlsRs, Field::ConfirmationTag)
}

#[test]
fn an_mls_rs_commit_with_a_flipped_signature_is_rejected_by_every_engine() -> StepResult<()> {
    public_member_commit(&MlsRs, Field::Signature)
}

#[test]
fn an_mls_rs_commit_with_a_flipped_path_ciphertext_is_rejected_by_every_engine() -> StepResult<()> {
    public_member_commit(&MlsRs, Field::PathCiphertext)
}

#[test]
fn an_mls_rs_commit_with_a_flipped_membership_tag_is_rejected_by_every_engine() -> StepResult<()> {
    public_member_commit(&MlsRs, Field::MembershipTag)
}

#[test]
fn our_commit_with_a_flipped_confirmation_tag_is_rejected_by_every_engine() -> StepResult<()> {
    public_member_commit(&Ours, Field::ConfirmationTag)
}

#[test]
fn our_commit_with_a_flipped_signature_is_rejected_by_every_engine() -> StepResult<()> {
    public_member_commit(&Ours, Field::Signature)
}

#[test]
fn our_commit_with_a_flipped_path_ciphertext_is_rejected_by_every_engine() -> StepResult<()> {
    public_member_commit(&Ours, Field::PathCiphertext)
}

#[test]
fn our_commit_with_a_flipped_membership_tag_is_rejected_by_every_engine() -> StepResult<()> {
    public_member_commit(&Ours, Field::MembershipTag)
}

#[test]
fn an_openmls_external_commit_with_a_flipped_confirmation_tag_is_rejected_by_every_engine()
-> StepResult<()> {
    external_commit(&OpenMls, "bob", Field::ConfirmationTag)
}

#[test]
fn an_openmls_external_commit_with_a_flipped_signature_is_rejected_by_every_engine()
-> StepResult<()> {
    external_commit(&OpenMls, "bob", Field::Signature)
}

#[test]
fn an_openmls_external_commit_with_a_flipped_path_ciphertext_is_rejected_by_every_engine()
-> StepResult<()> {
    external_commit(&OpenMls, "bob", Field::PathCiphertext)
}

#[test]
fn an_mls_rs_external_commit_with_a_flipped_confirmation_tag_is_rejected_by_every_engine()
-> StepResult<()> {
    external_commit(&MlsRs, "carol", Field::ConfirmationTag)
}

#[test]
fn an_mls_rs_external_commit_with_a_flipped_signature_is_rejected_by_every_engine() -> StepResult<()>
{
    external_commit(&MlsRs, "carol", Field::Signature)
}

#[test]
fn an_mls_rs_external_commit_with_a_flipped_path_ciphertext_is_rejected_by_every_engine()
-> StepResult<()> {
    external_commit(&MlsRs, "carol", Field::PathCiphertext)
}

#[test]
fn our_external_commit_with_a_flipped_confirmation_tag_is_rejected_by_every_engine()
-> StepResult<()> {
    external_commit(&Ours, "alice", Field::ConfirmationTag)
}

#[test]
fn our_external_commit_with_a_flipped_signature_is_rejected_by_every_engine() -> StepResult<()> {
    external_commit(&Ours, "alice", Field::Signature)
}

#[test]
fn our_external_commit_with_a_flipped_path_ciphertext_is_rejected_by_every_engine() -> StepResult<()>
{
    external_commit(&Ours, "alice", Field::PathCiphertext)
}

#[test]
fn an_openmls_private_commit_with_a_flipped_ciphertext_byte_is_rejected_by_every_engine()
-> StepResult<()> {
    each_accepts_the_genuine_private_commit(&["bob"])
}

/// Our group state is a value: a rejected message leaves the state, and so the message
/// key of the genuine commit, as it was.
#[test]
fn our_engine_still_accepts_a_genuine_private_commit_after_a_tampered_copy() -> StepResult<()> {
    each_accepts_the_genuine_private_commit(&["dave"])
}

/// A forged PrivateMessage must not cost the receiver the key of the genuine one.
/// mls-rs 0.57 takes the message key out of its secret tree before the AEAD check and
/// does not put it back when the check fails, so the genuine commit that follows fails
/// with `KeyMissing(0)`. OpenMLS and our engine keep the key and accept it (checked
/// above).
#[test]
#[ignore = "mls-rs 0.57 deletes the message key before the AEAD check: the genuine commit then fails with KeyMissing(0)"]
fn mls_rs_still_accepts_a_genuine_private_commit_after_a_tampered_copy() -> StepResult<()> {
    each_accepts_the_genuine_private_commit(&["carol"])
}

/// What mls-rs 0.57 does today (see the ignored test above): after a tampered copy, the
/// genuine commit fails because the message key is gone.
#[test]
fn mls_rs_loses_the_key_of_a_genuine_private_commit_after_a_tampered_copy() -> StepResult<()> {
    let outcomes = openmls_private_member_commit(&["carol"])?;
    match outcomes.as_slice() {
        [Err(e)] if e.contains("KeyMissing") => Ok(()),
        other => Err(format!(
            "mls-rs now answers {other:?}; revisit the ignored test"
        )),
    }
}
