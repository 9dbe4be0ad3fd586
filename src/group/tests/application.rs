//! Application messages: forward secrecy within an epoch (§9.2) and late messages of a
//! retained past epoch.

use super::*;
use crate::messages::ContentType;

#[test]
fn an_application_message_decrypts_once() {
    let mut f = Fixture::new(3);
    let (message, _) = application(&f.views[1], b"hello", &mut f.rng);
    let (processed, next) = process(&f.views[0], &message).unwrap();
    let Processed::Application(app) = processed else {
        panic!("not application data: {processed:?}");
    };
    assert_eq!(
        (app.sender, app.epoch, &app.data[..]),
        (LeafIndex(1), 1, &b"hello"[..])
    );
    // Its key is gone: the same message does not decrypt again.
    let again = rejected(&next, &message);
    assert!(matches!(again, Error::Protocol(_)), "{again:?}");
}

#[test]
fn a_tampered_application_message_changes_nothing() {
    let mut f = Fixture::new(2);
    let (message, _) = application(&f.views[1], b"hello", &mut f.rng);
    let MlsMessage::PrivateMessage(mut m) = message else {
        unreachable!()
    };
    let last = m.ciphertext.len() - 1;
    m.ciphertext[last] ^= 1;
    let e = rejected(&f.views[0], &MlsMessage::PrivateMessage(m));
    assert!(matches!(e, Error::Crypto(_)), "{e:?}");
}

#[test]
fn a_late_application_message_of_the_previous_epoch_still_decrypts() {
    let mut f = Fixture::new(3);
    let (late, _) = application(&f.views[2], b"late", &mut f.rng);
    let made = commit(&f.views[1], Vec::new(), true, &mut f.rng);
    let (_, next) = process(&f.views[0], &made.message).unwrap();
    let (processed, after) = process(&next, &late).unwrap();
    assert!(
        matches!(processed, Processed::Application(ref a) if a.epoch == 1 && a.data == b"late")
    );
    assert_eq!(after.epoch(), 2);
    // Once read, it is gone from the past epoch too.
    rejected(&after, &late);
}

#[test]
fn a_message_of_an_epoch_no_longer_kept_is_rejected() {
    let mut f = Fixture::new(3);
    let mut receiver = f.views[0].clone();
    receiver.config.past_epochs = 0;
    let (late, _) = application(&f.views[2], b"late", &mut f.rng);
    let made = commit(&f.views[1], Vec::new(), true, &mut f.rng);
    let (_, next) = process(&receiver, &made.message).unwrap();
    assert_eq!(
        group_violation(rejected(&next, &late)),
        GroupViolation::WrongEpoch {
            epoch: 1,
            current: 2,
            content: ContentType::APPLICATION
        }
    );
}

#[test]
fn a_proposal_of_a_past_epoch_is_rejected() {
    let mut f = Fixture::new(3);
    let (proposal, _) = propose(&f.views[2], remove(1));
    let made = commit(&f.views[1], Vec::new(), true, &mut f.rng);
    let (_, next) = process(&f.views[0], &made.message).unwrap();
    assert_eq!(
        group_violation(rejected(&next, &proposal)),
        GroupViolation::WrongEpoch {
            epoch: 1,
            current: 2,
            content: ContentType::PROPOSAL
        }
    );
}
