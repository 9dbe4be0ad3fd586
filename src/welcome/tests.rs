//! Welcomes built here and opened again, whole and with one thing wrong.

use super::*;
use crate::codec::Codec;
use crate::crypto::{
    CipherSuite, HpkePrivateKey, Secret, SeededRandom, SignaturePrivateKey, SignaturePublicKey,
};
use crate::error::{CryptoError, Error};
use crate::key_schedule::EpochSecrets;
use crate::messages::group_context::GroupContext;
use crate::messages::leaf_node::tests::sample_leaf;
use crate::messages::{
    CipherSuiteId, GroupInfo, KeyPackage, LeafNodeSource, Lifetime, PreSharedKeyId,
    ProtocolVersion, PskSource, ResumptionPskUsage, Welcome,
};
use crate::tree_math::LeafIndex;

/// One joiner's KeyPackage and init private key.
struct Joiner {
    key_package: KeyPackage,
    init_private: HpkePrivateKey,
}

fn joiner(suite: &CipherSuite, rng: &mut SeededRandom) -> Joiner {
    let (init_private, init_key) = suite.hpke_generate_key_pair(rng).unwrap();
    let key_package = KeyPackage {
        version: ProtocolVersion::MLS10,
        cipher_suite: CipherSuiteId(suite.id()),
        init_key,
        leaf_node: sample_leaf(LeafNodeSource::KeyPackage(Lifetime {
            not_before: 0,
            not_after: u64::MAX,
        })),
        extensions: Vec::new(),
        signature: vec![0; 64],
    };
    Joiner {
        key_package,
        init_private,
    }
}

/// An external PSK named `id`.
fn external_psk(id: &[u8]) -> PreSharedKeyId {
    PreSharedKeyId {
        psk: PskSource::External {
            psk_id: id.to_vec(),
        },
        psk_nonce: vec![0x5a; 32],
    }
}

/// The joiner's PSKs: an external PSK's value is its id repeated (so that a lookup of
/// the wrong one gives another key), except that the one named "unknown" is missing;
/// every resumption PSK is `[4; 32]`.
fn psk_value(id: &PreSharedKeyId) -> Option<Secret> {
    match &id.psk {
        PskSource::External { psk_id } if psk_id == b"unknown" => None,
        PskSource::External { psk_id } => Some(Secret::new(psk_id.repeat(8))),
        PskSource::Resumption { .. } => Some(Secret::new(vec![4; 32])),
    }
}

/// A group's Welcome to one joiner, and what the joiner and the committer know.
struct Fixture {
    suite: CipherSuite,
    joiner: Joiner,
    signer_public: SignaturePublicKey,
    welcome: Welcome,
    epoch_secrets: EpochSecrets,
    path_secret: Secret,
}

/// What to change in the group before the Welcome is made.
#[derive(Default)]
struct Changes {
    psks: Vec<PreSharedKeyId>,
    group_info_suite: Option<u16>,
    flip_confirmation_tag: bool,
    epoch: Option<u64>,
}

fn fixture(changes: Changes) -> Fixture {
    let suite = CipherSuite::new(1).unwrap();
    let mut rng = SeededRandom::new(9420);
    let joiner = joiner(&suite, &mut rng);
    let (signer_private, signer_public): (SignaturePrivateKey, _) =
        suite.generate_signature_key_pair(&mut rng).unwrap();

    let group_context = GroupContext {
        version: ProtocolVersion::MLS10,
        cipher_suite: CipherSuiteId(changes.group_info_suite.unwrap_or(suite.id())),
        group_id: b"group".to_vec(),
        epoch: changes.epoch.unwrap_or(7),
        tree_hash: vec![0x11; 32],
        confirmed_transcript_hash: vec![0x22; 32],
        extensions: Vec::new(),
    };
    let inputs: Vec<_> = changes
        .psks
        .iter()
        .map(|id| (id.to_bytes(), psk_value(id)))
        .collect();
    let inputs: Vec<_> = inputs
        .iter()
        .filter_map(|(id, v)| v.as_ref().map(|psk| crate::psk::PskInput { id, psk }))
        .collect();
    let psk_secret = crate::psk::psk_secret(&suite, &inputs).unwrap();
    let epoch_secrets = EpochSecrets::derive(
        &suite,
        &Secret::new(vec![1; 32]),
        &Secret::new(vec![2; 32]),
        &psk_secret,
        &group_context.to_bytes(),
    )
    .unwrap();
    let mut confirmation_tag = suite.mac(
        epoch_secrets.confirmation_key.as_bytes(),
        &group_context.confirmed_transcript_hash,
    );
    if changes.flip_confirmation_tag {
        confirmation_tag[0] ^= 1;
    }
    let mut group_info = GroupInfo {
        group_context,
        extensions: Vec::new(),
        confirmation_tag,
        signer: LeafIndex(0),
        signature: Vec::new(),
    };
    sign_group_info(&suite, &signer_private, &mut group_info).unwrap();

    let path_secret = Secret::new(vec![3; 32]);
    let member = NewMember {
        key_package: &joiner.key_package,
        path_secret: Some(&path_secret),
    };
    let welcome = create(
        &suite,
        &group_info,
        &epoch_secrets,
        &changes.psks,
        &[member],
        &mut rng,
    )
    .unwrap();
    Fixture {
        suite,
        joiner,
        signer_public,
        welcome,
        epoch_secrets,
        path_secret,
    }
}

impl Fixture {
    fn open(&self) -> crate::Result<VerifiedWelcome> {
        self.open_with(&self.welcome, &self.signer_public)
    }

    fn open_with(
        &self,
        welcome: &Welcome,
        signer: &SignaturePublicKey,
    ) -> crate::Result<VerifiedWelcome> {
        let j = &self.joiner;
        decrypt(welcome, &j.key_package, &j.init_private, &psk_value)?.verify(signer)
    }
}

fn violation(v: WelcomeViolation) -> Error {
    v.into()
}

#[test]
fn a_welcome_opens_to_the_committers_epoch_secrets_and_path_secret() {
    let f = fixture(Changes {
        psks: vec![external_psk(b"one"), external_psk(b"two")],
        ..Changes::default()
    });
    let opened = f.open().unwrap();
    assert_eq!(
        opened.epoch_secrets.epoch_authenticator.as_bytes(),
        f.epoch_secrets.epoch_authenticator.as_bytes()
    );
    let path = opened.group_secrets.path_secret.unwrap().path_secret;
    assert_eq!(path.as_bytes(), f.path_secret.as_bytes());
    assert_eq!(opened.group_info.group_context.epoch, 7);
    assert_eq!(f.suite.id(), 1);
}

#[test]
fn a_welcome_for_someone_else_is_rejected() {
    let f = fixture(Changes::default());
    let other = joiner(&f.suite, &mut SeededRandom::new(1));
    let got = decrypt(
        &f.welcome,
        &other.key_package,
        &other.init_private,
        &psk_value,
    );
    assert_eq!(
        got.err(),
        Some(violation(WelcomeViolation::NotForOurKeyPackage {
            entries: 1
        }))
    );
}

#[test]
fn a_flipped_byte_in_the_encrypted_group_info_is_rejected() {
    let f = fixture(Changes::default());
    let mut welcome = f.welcome.clone();
    welcome.encrypted_group_info[5] ^= 1;
    // The encrypted GroupInfo is the HPKE context of the GroupSecrets, so their
    // decryption is the first to fail.
    assert_eq!(
        f.open_with(&welcome, &f.signer_public).err(),
        Some(CryptoError::HpkeOpen.into())
    );
}

#[test]
fn a_flipped_byte_in_the_encrypted_group_secrets_is_rejected() {
    let f = fixture(Changes::default());
    let mut welcome = f.welcome.clone();
    welcome.secrets[0].encrypted_group_secrets.ciphertext[0] ^= 1;
    assert_eq!(
        f.open_with(&welcome, &f.signer_public).err(),
        Some(CryptoError::HpkeOpen.into())
    );
}

#[test]
fn a_group_info_signed_by_someone_else_is_rejected() {
    let f = fixture(Changes::default());
    let (_, stranger) = f
        .suite
        .generate_signature_key_pair(&mut SeededRandom::new(2))
        .unwrap();
    assert_eq!(
        f.open_with(&f.welcome, &stranger).err(),
        Some(CryptoError::InvalidSignature.into())
    );
}

#[test]
fn a_flipped_confirmation_tag_is_rejected() {
    let f = fixture(Changes {
        flip_confirmation_tag: true,
        ..Changes::default()
    });
    assert_eq!(f.open().err(), Some(CryptoError::InvalidMac.into()));
}

#[test]
fn a_welcome_of_another_cipher_suite_is_rejected() {
    let f = fixture(Changes::default());
    let mut welcome = f.welcome.clone();
    welcome.cipher_suite = CipherSuiteId(2);
    assert_eq!(
        f.open_with(&welcome, &f.signer_public).err(),
        Some(violation(WelcomeViolation::WelcomeCipherSuiteMismatch {
            welcome: CipherSuiteId(2),
            key_package: CipherSuiteId(1),
        }))
    );
}

#[test]
fn a_group_info_of_another_cipher_suite_is_rejected() {
    let f = fixture(Changes {
        group_info_suite: Some(3),
        ..Changes::default()
    });
    assert_eq!(
        f.open().err(),
        Some(violation(WelcomeViolation::GroupInfoCipherSuiteMismatch {
            group_info: CipherSuiteId(3),
            key_package: CipherSuiteId(1),
        }))
    );
}

#[test]
fn a_psk_the_joiner_does_not_have_is_rejected() {
    let f = fixture(Changes {
        psks: vec![external_psk(b"one"), external_psk(b"unknown")],
        ..Changes::default()
    });
    assert_eq!(
        f.open().err(),
        Some(violation(WelcomeViolation::UnknownPsk {
            index: 1,
            psk: PskSource::External {
                psk_id: b"unknown".to_vec()
            },
        }))
    );
}

#[test]
fn a_psk_nonce_of_the_wrong_length_is_rejected() {
    let mut psk = external_psk(b"one");
    psk.psk_nonce.pop();
    let f = fixture(Changes {
        psks: vec![psk],
        ..Changes::default()
    });
    assert_eq!(
        f.open().err(),
        Some(violation(WelcomeViolation::PskNonceLength {
            index: 0,
            length: 31,
            expected: 32,
        }))
    );
}

fn resumption(usage: ResumptionPskUsage) -> PreSharedKeyId {
    PreSharedKeyId {
        psk: PskSource::Resumption {
            usage,
            psk_group_id: b"old group".to_vec(),
            psk_epoch: 3,
        },
        psk_nonce: vec![0; 32],
    }
}

#[test]
fn two_reinit_or_branch_psks_are_rejected() {
    let f = fixture(Changes {
        psks: vec![
            resumption(ResumptionPskUsage::REINIT),
            resumption(ResumptionPskUsage::BRANCH),
        ],
        ..Changes::default()
    });
    assert_eq!(
        f.open().err(),
        Some(violation(WelcomeViolation::SeveralReinitOrBranchPsks {
            count: 2
        }))
    );
}

#[test]
fn a_branch_welcome_must_start_epoch_one() {
    for (epoch, want) in [
        (1, None),
        (
            7,
            Some(violation(WelcomeViolation::ReinitOrBranchNotEpochOne {
                epoch: 7,
            })),
        ),
    ] {
        let f = fixture(Changes {
            psks: vec![resumption(ResumptionPskUsage::BRANCH)],
            epoch: Some(epoch),
            ..Changes::default()
        });
        assert_eq!(f.open().err(), want, "epoch {epoch}");
    }
}
