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

use zeroize::Zeroizing;

use crate::codec::{Codec, Reader};
use crate::crypto::{Secret, SignaturePrivateKey, SignaturePublicKey};
use crate::error::DecodeError;
use crate::group::persist::StateWriter;
use crate::group::{Group, KeyPackageBundle};
use crate::messages::Credential;
use crate::webapi::store::{RecordKind, group_record_id};

use super::error::{WebApiError, WebApiResult};

/// The version of the record encodings below.
pub const RECORD_VERSION: u8 = 1;

/// An identity (spec §4.2).
#[derive(Clone)]
pub struct Identity {
    /// SHA-256 of the signature public key.
    pub client_id: Vec<u8>,
    /// The cipher suite: always 0x0001.
    pub cipher_suite: u16,
    /// The Ed25519 private key.
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
    /// The key package with its init, leaf and signature private keys.
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
}

impl Record {
    /// The record's persistent encoding. Secrets included: it must only be stored sealed.
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

    /// The record whose encoding is `bytes`, stored under `key`. A record that does not
    /// decode, or is of another kind than its key says, is an `UnknownError` (spec §9.2:
    /// a stored record that cannot be read).
    pub fn decode(key: &RecordKey, bytes: &[u8]) -> WebApiResult<Record> {
        decode_record(key, bytes).map_err(|e| {
            WebApiError::unknown(format!(
                "a stored {:?} record cannot be read: {e}",
                key.kind()
            ))
        })
    }
}

/// Decodes a record, with the engine's errors.
fn decode_record(key: &RecordKey, bytes: &[u8]) -> crate::Result<Record> {
    let mut r = Reader::new(bytes);
    let version = r.u8()?;
    if version != RECORD_VERSION {
        return Err(invalid("record version", version).into());
    }
    let kind = r.u8()?;
    if kind != key.kind {
        return Err(invalid("record kind", kind).into());
    }
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
            bundle: KeyPackageBundle::from_state_bytes(r.opaque()?)?,
        })),
        RecordKind::Group => {
            let group = Group::from_state_bytes(r.opaque()?)?;
            let pending = match r.u8()? {
                0 => None,
                1 => Some(PendingState {
                    commit: r.opaque()?.to_vec(),
                    welcome: Option::<Vec<u8>>::decode(&mut r)?,
                    next: Group::from_state_bytes(r.opaque()?)?,
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

    #[test]
    fn an_identity_record_decodes_to_the_same_bytes() {
        let id = identity();
        let key = RecordKey::identity(&id.client_id);
        let bytes = Record::Identity(id).encode();
        let back = Record::decode(&key, &bytes).unwrap();
        assert_eq!(*back.encode(), *bytes);
    }

    #[test]
    fn a_record_under_a_key_of_another_kind_is_unreadable() {
        let id = identity();
        let bytes = Record::Identity(id.clone()).encode();
        let key = RecordKey::key_package(&id.client_id);
        let e = Record::decode(&key, &bytes).err().unwrap();
        assert_eq!(e.name, crate::webapi::DomExceptionName::UnknownError);
    }

    #[test]
    fn a_record_with_a_trailing_byte_is_unreadable() {
        let id = identity();
        let key = RecordKey::identity(&id.client_id);
        let mut bytes = Record::Identity(id).encode().to_vec();
        bytes.push(0);
        assert!(Record::decode(&key, &bytes).is_err());
    }
}
