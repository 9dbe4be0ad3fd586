//! The state of one origin (spec §4): identities, key packages and group states, as
//! typed records, with their persistent encodings.
//!
//! Each record is stored under a kind and an id (spec §9.2): an identity under its client
//! id, a key package under its `KeyPackageRef`, a group state under
//! `opaque<V>(client id) ‖ opaque<V>(group id)`. The encrypted store keeps their
//! encodings, on disk or in memory.
//!
//! The encodings are versioned (first byte [`RECORD_VERSION`]) and use the engine's
//! encodings for what the engine owns: [`Group::to_state_bytes`],
//! [`KeyPackageBundle::to_state_bytes`].
//!
//! The identity's signature private key is stored once, in the identity record (spec
//! §4.2). Key package and group records do not hold it (spec §4.3, §4.4): they name their
//! identity (a key package by its `owner`, a group state by the client id in its key), and
//! reading one takes the key from that identity. A key package or group record whose
//! identity is missing, or whose identity's key is not the one the record's leaf names,
//! cannot be read: an `UnknownError`, and nothing is deleted.

use zeroize::Zeroizing;

use crate::codec::{Codec, Reader};
use crate::crypto::{Secret, SignaturePrivateKey, SignaturePublicKey};
use crate::error::DecodeError;
use crate::group::persist::StateWriter;
use crate::group::{Group, KeyPackageBundle};
use crate::messages::Credential;
use crate::webapi::store::{RecordKind, group_record_id};

use super::error::{WebApiError, WebApiResult};

/// The version of the record encodings below. Version 1 held a copy of the identity's
/// signature private key in every key package and group record (inside the engine's
/// state encoding); it is not read.
pub const RECORD_VERSION: u8 = 2;

/// An identity (spec §4.2).
#[derive(Clone)]
pub struct Identity {
    /// SHA-256 of the signature public key.
    pub client_id: Vec<u8>,
    /// The cipher suite: always 0x0001.
    pub cipher_suite: u16,
    /// The Ed25519 private key: its only stored copy.
    pub signer: SignaturePrivateKey,
    /// The Ed25519 public key.
    pub public_key: SignaturePublicKey,
    /// The credential last given to `generateKeyPackage` or `groupCreate`.
    pub current_credential: Option<Credential>,
}

/// A key package and its private keys, owned by one identity (spec §4.3).
#[derive(Clone)]
pub struct StoredKeyPackage {
    /// The client id of the identity that generated it.
    pub owner: Vec<u8>,
    /// The key package with its init and leaf private keys, and (in memory only) the
    /// owner's signature private key.
    pub bundle: KeyPackageBundle,
}

/// Our own commit, sent but not yet applied (spec §4.4, P).
#[derive(Clone)]
pub struct PendingState {
    /// The commit's `MLSMessage` bytes, compared byte for byte on receipt (**receive.8**).
    pub commit: Vec<u8>,
    /// The Welcome's `MLSMessage` bytes, if the commit adds members.
    pub welcome: Option<Vec<u8>>,
    /// The complete state of the epoch the commit creates.
    pub next: Group,
}

/// A group state of one client (spec §4.4): the current epoch E with its proposal cache
/// C and past epochs (all inside the engine's [`Group`]), and the pending commit P.
#[derive(Clone)]
pub struct GroupState {
    /// The current epoch, its proposal cache and retained past epochs.
    pub group: Group,
    /// The pending commit.
    pub pending: Option<PendingState>,
}

/// One stored record.
#[derive(Clone)]
pub enum Record {
    /// An identity.
    Identity(Identity),
    /// A key package.
    KeyPackage(Box<StoredKeyPackage>),
    /// A group state.
    Group(Box<GroupState>),
}

/// Where a record lives: its kind and id (spec §9.2).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RecordKey {
    kind: u8,
    id: Vec<u8>,
}

impl RecordKey {
    /// The identity of `client_id`.
    pub fn identity(client_id: &[u8]) -> Self {
        RecordKey {
            kind: RecordKind::Identity.byte(),
            id: client_id.to_vec(),
        }
    }

    /// The key package whose `KeyPackageRef` is `reference`.
    pub fn key_package(reference: &[u8]) -> Self {
        RecordKey {
            kind: RecordKind::KeyPackage.byte(),
            id: reference.to_vec(),
        }
    }

    /// The group state of (`client_id`, `group_id`).
    pub fn group(client_id: &[u8], group_id: &[u8]) -> WebApiResult<Self> {
        Ok(RecordKey {
            kind: RecordKind::Group.byte(),
            id: group_record_id(client_id, group_id)?,
        })
    }

    /// The record's kind, as the store names it.
    pub fn kind(&self) -> RecordKind {
        match self.kind {
            1 => RecordKind::Identity,
            2 => RecordKind::KeyPackage,
            _ => RecordKind::Group,
        }
    }

    /// The record's id.
    pub fn id(&self) -> &[u8] {
        &self.id
    }

    /// The client id of a group state's key: the first part of its id.
    fn group_client_id(&self) -> crate::Result<Vec<u8>> {
        Ok(Reader::new(&self.id).opaque()?.to_vec())
    }
}

impl Record {
    /// The record's persistent encoding. Secrets included: it must only be stored sealed.
    /// Only an identity record holds the signature private key.
    pub fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = StateWriter::new();
        w.u8(RECORD_VERSION);
        match self {
            Record::Identity(identity) => {
                w.u8(RecordKind::Identity.byte());
                w.u16(identity.cipher_suite);
                w.secret(&identity.signer.0);
                w.opaque(&identity.public_key.0);
                w.public(&identity.current_credential);
            }
            Record::KeyPackage(stored) => {
                w.u8(RecordKind::KeyPackage.byte());
                w.opaque(&stored.owner);
                w.opaque(&stored.bundle.to_state_bytes());
            }
            Record::Group(state) => {
                w.u8(RecordKind::Group.byte());
                w.opaque(&state.group.to_state_bytes());
                match &state.pending {
                    None => w.u8(0),
                    Some(pending) => {
                        w.u8(1);
                        w.opaque(&pending.commit);
                        w.public(&pending.welcome);
                        w.opaque(&pending.next.to_state_bytes());
                    }
                }
            }
        }
        w.finish()
    }

    /// The record whose encoding is `bytes`, stored under `key`; `identities` finds the
    /// identity whose signature private key a key package or group record needs. A
    /// record that does not decode, is of another kind than its key says, or whose
    /// identity is missing or holds another key, is an `UnknownError` (spec §9.2: a
    /// stored record that cannot be read).
    pub fn decode(
        key: &RecordKey,
        bytes: &[u8],
        identities: &dyn Fn(&[u8]) -> WebApiResult<Option<Identity>>,
    ) -> WebApiResult<Record> {
        let unreadable = |e: crate::Error| {
            WebApiError::unknown(format!(
                "a stored {:?} record cannot be read: {e}",
                key.kind()
            ))
        };
        let owner = match key.kind() {
            RecordKind::Identity => None,
            RecordKind::KeyPackage => Some(key_package_owner(bytes).map_err(unreadable)?),
            RecordKind::Group => Some(key.group_client_id().map_err(unreadable)?),
        };
        let signer = match owner {
            None => None,
            Some(client_id) => Some(
                identities(&client_id)?
                    .ok_or_else(|| {
                        WebApiError::unknown(format!(
                            "a stored {:?} record cannot be read: its identity is missing",
                            key.kind()
                        ))
                    })?
                    .signer,
            ),
        };
        decode_record(key, bytes, signer.as_ref()).map_err(unreadable)
    }
}

/// Reads the header of a record under `key`.
fn read_header(r: &mut Reader<'_>, key: &RecordKey) -> crate::Result<()> {
    let version = r.u8()?;
    if version != RECORD_VERSION {
        return Err(invalid("record version", version).into());
    }
    let kind = r.u8()?;
    if kind != key.kind {
        return Err(invalid("record kind", kind).into());
    }
    Ok(())
}

/// The `owner` of a key package record: the client id after the header.
fn key_package_owner(bytes: &[u8]) -> crate::Result<Vec<u8>> {
    let mut r = Reader::new(bytes);
    read_header(&mut r, &RecordKey::key_package(&[]))?;
    Ok(r.opaque()?.to_vec())
}

/// Decodes a record, with the engine's errors; `signer` is the signature private key of
/// the identity a key package or group record names.
fn decode_record(
    key: &RecordKey,
    bytes: &[u8],
    signer: Option<&SignaturePrivateKey>,
) -> crate::Result<Record> {
    let mut r = Reader::new(bytes);
    read_header(&mut r, key)?;
    let signer = || signer.ok_or(crate::Error::Misuse("a record read without its signer"));
    let record = match key.kind() {
        RecordKind::Identity => Record::Identity(Identity {
            client_id: key.id.clone(),
            cipher_suite: r.u16()?,
            signer: SignaturePrivateKey(Secret::new(r.opaque()?.to_vec())),
            public_key: SignaturePublicKey(r.opaque()?.to_vec()),
            current_credential: Option::<Credential>::decode(&mut r)?,
        }),
        RecordKind::KeyPackage => Record::KeyPackage(Box::new(StoredKeyPackage {
            owner: r.opaque()?.to_vec(),
            bundle: KeyPackageBundle::from_state_bytes(r.opaque()?, signer()?)?,
        })),
        RecordKind::Group => {
            let group = Group::from_state_bytes(r.opaque()?, signer()?)?;
            let pending = match r.u8()? {
                0 => None,
                1 => Some(PendingState {
                    commit: r.opaque()?.to_vec(),
                    welcome: Option::<Vec<u8>>::decode(&mut r)?,
                    next: Group::from_state_bytes(r.opaque()?, signer()?)?,
                }),
                other => return Err(DecodeError::InvalidOptional(other).into()),
            };
            Record::Group(Box::new(GroupState { group, pending }))
        }
    };
    r.finish()?;
    Ok(record)
}

fn invalid(field: &'static str, value: u8) -> DecodeError {
    DecodeError::InvalidValue {
        field,
        value: value.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{CipherSuite, SeededRandom};

    /// An origin without identities.
    fn no_identities(_: &[u8]) -> WebApiResult<Option<Identity>> {
        Ok(None)
    }

    fn identity() -> Identity {
        let suite = CipherSuite::new(1).unwrap();
        let (signer, public_key) = suite
            .generate_signature_key_pair(&mut SeededRandom::new(1))
            .unwrap();
        Identity {
            client_id: suite.hash(&public_key.0),
            cipher_suite: 1,
            signer,
            public_key,
            current_credential: Some(Credential::Basic {
                identity: b"alice".to_vec(),
            }),
        }
    }

    /// An in-memory origin where Alice has a group with a pending commit adding Bob, and
    /// Bob a key package: a record of every kind, for both identities.
    struct Populated {
        mls: crate::webapi::Mls,
        alice: Identity,
        bob: Identity,
        group: RecordKey,
        key_package: RecordKey,
    }

    fn populated() -> Populated {
        use crate::clock::FixedClock;
        use crate::messages::MlsMessage;
        let mls = crate::webapi::Mls::in_memory("https://example.com")
            .unwrap()
            .with_rng_and_clock(
                Box::new(SeededRandom::new(5)),
                Box::new(FixedClock(1_700_000_000)),
            );
        let (a, b) = (
            mls.generate_identity().unwrap(),
            mls.generate_identity().unwrap(),
        );
        let alice_credential = mls.generate_credential("alice").unwrap();
        let bob_credential = mls.generate_credential("bob").unwrap();
        let view = mls.group_create(&a, &alice_credential).unwrap();
        let kp = mls.generate_key_package(&b, &bob_credential).unwrap();
        view.add(&kp).unwrap();
        let MlsMessage::KeyPackage(kp) = MlsMessage::from_bytes(&kp.content).unwrap() else {
            panic!("not a key package");
        };
        let reference = kp.reference(&CipherSuite::new(1).unwrap());
        let identity = |id: &[u8]| mls.job(|j, _| j.require_identity(id)).unwrap();
        Populated {
            alice: identity(&a.content),
            bob: identity(&b.content),
            group: RecordKey::group(&a.content, &view.group_id()).unwrap(),
            key_package: RecordKey::key_package(&reference.0),
            mls,
        }
    }

    impl Populated {
        /// The record under `key`, encoded.
        fn encoded(&self, key: &RecordKey) -> Zeroizing<Vec<u8>> {
            let record = self.mls.job(|j, _| match key.kind() {
                RecordKind::Group => {
                    let (cid, gid) = (&self.alice.client_id, &key_group_id(key));
                    Ok(Record::Group(Box::new(j.load_group(cid, gid)?)))
                }
                _ => {
                    let reference = crate::messages::KeyPackageRef(key.id().to_vec());
                    Ok(Record::KeyPackage(Box::new(
                        j.key_package(&reference)?.unwrap(),
                    )))
                }
            });
            record.unwrap().encode()
        }

        /// An origin that has only `identity`.
        fn only(identity: &Identity) -> impl Fn(&[u8]) -> WebApiResult<Option<Identity>> {
            let identity = identity.clone();
            move |cid| Ok((cid == identity.client_id).then(|| identity.clone()))
        }
    }

    /// The group id of a group record's key.
    fn key_group_id(key: &RecordKey) -> Vec<u8> {
        let mut r = Reader::new(key.id());
        r.opaque().unwrap();
        r.opaque().unwrap().to_vec()
    }

    /// How often `needle` occurs in `haystack`.
    fn occurrences(haystack: &[u8], needle: &[u8]) -> usize {
        haystack
            .windows(needle.len())
            .filter(|w| *w == needle)
            .count()
    }

    #[test]
    fn each_signature_private_key_is_stored_once_in_its_identity_record() {
        let p = populated();
        let snapshot = p.mls.state_snapshot().unwrap();
        for identity in [&p.alice, &p.bob] {
            let key = identity.signer.0.as_bytes();
            // At rest every record is sealed (spec §9.2): the key is in no stored byte.
            assert_eq!(occurrences(&snapshot, key), 0);
            let record = Record::Identity(identity.clone()).encode();
            assert_eq!(occurrences(&record, key), 1);
        }
        let group = p.encoded(&p.group);
        let key_package = p.encoded(&p.key_package);
        assert_eq!(occurrences(&group, p.alice.signer.0.as_bytes()), 0);
        assert_eq!(occurrences(&key_package, p.bob.signer.0.as_bytes()), 0);
    }

    #[test]
    fn records_read_with_their_identity_decode_to_the_same_bytes() {
        let p = populated();
        for (key, owner) in [(&p.group, &p.alice), (&p.key_package, &p.bob)] {
            let bytes = p.encoded(key);
            let back = Record::decode(key, &bytes, &Populated::only(owner)).unwrap();
            assert_eq!(*back.encode(), *bytes);
        }
    }

    #[test]
    fn a_record_whose_identity_is_missing_is_an_unknown_error() {
        let p = populated();
        for key in [&p.group, &p.key_package] {
            let bytes = p.encoded(key);
            let e = Record::decode(key, &bytes, &no_identities).err().unwrap();
            assert_eq!(e.name, crate::webapi::DomExceptionName::UnknownError);
            assert!(e.message.contains("identity is missing"), "{e}");
        }
    }

    #[test]
    fn a_record_whose_identity_holds_another_key_is_an_unknown_error() {
        let p = populated();
        // Bob's key under Alice's client id, and Alice's under Bob's.
        let swapped = |from: &Identity, to: &Identity| Identity {
            signer: from.signer.clone(),
            ..to.clone()
        };
        for (key, impostor) in [
            (&p.group, swapped(&p.bob, &p.alice)),
            (&p.key_package, swapped(&p.alice, &p.bob)),
        ] {
            let bytes = p.encoded(key);
            let e = Record::decode(key, &bytes, &Populated::only(&impostor))
                .err()
                .unwrap();
            assert_eq!(e.name, crate::webapi::DomExceptionName::UnknownError);
        }
    }

    #[test]
    fn an_identity_record_decodes_to_the_same_bytes() {
        let id = identity();
        let key = RecordKey::identity(&id.client_id);
        let bytes = Record::Identity(id).encode();
        let back = Record::decode(&key, &bytes, &no_identities).unwrap();
        assert_eq!(*back.encode(), *bytes);
    }

    #[test]
    fn a_record_under_a_key_of_another_kind_is_unreadable() {
        let id = identity();
        let bytes = Record::Identity(id.clone()).encode();
        let key = RecordKey::key_package(&id.client_id);
        let e = Record::decode(&key, &bytes, &no_identities).err().unwrap();
        assert_eq!(e.name, crate::webapi::DomExceptionName::UnknownError);
    }

    #[test]
    fn a_record_with_a_trailing_byte_is_unreadable() {
        let id = identity();
        let key = RecordKey::identity(&id.client_id);
        let mut bytes = Record::Identity(id).encode().to_vec();
        bytes.push(0);
        assert!(Record::decode(&key, &bytes, &no_identities).is_err());
    }
}
