//! Record encryption at rest (spec §9.2): the origin key, the keys derived from it, the
//! locators that name records without revealing their ids, and sealing and opening.
//!
//! ```text
//! PRK          = HKDF-Extract(salt = "mls-webapi storage v1", IKM = K)
//! K_loc        = HKDF-Expand(PRK, "mls-webapi locator", 32)
//! K_id         = HKDF-Expand(PRK, "mls-webapi key id", 32)
//! K_set        = HKDF-Expand(PRK, "mls-webapi record set", 32)
//! K_rec(k, id) = HKDF-Expand(PRK, "mls-webapi record" || k || opaque<V>(id), 32)
//! locator      = HMAC-SHA-256(K_loc, k || opaque<V>(id))
//! AAD(k, id)   = "mls-webapi record v1" || k || opaque<V>(id)
//! sealed       = 01 || nonce || XChaCha20-Poly1305-Seal(K_rec(k, id), nonce, AAD(k, id), plaintext)
//! record_set   = HMAC-SHA-256(K_set, every locator of the database, in ascending order)
//! ```

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::{RecordKind, StoreError};
use crate::codec::{MAX_VECTOR_LEN, write_opaque};
use crate::crypto::Random;

/// Length of the origin key *K* and of every derived key.
pub const KEY_LEN: usize = 32;
/// The format version, the first byte of every sealed record.
pub const FORMAT_VERSION: u8 = 0x01;
/// Length of the random XChaCha20 nonce.
const NONCE_LEN: usize = 24;
/// Length of the Poly1305 tag.
const TAG_LEN: usize = 16;

const EXTRACT_SALT: &[u8] = b"mls-webapi storage v1";
const LOCATOR_LABEL: &[u8] = b"mls-webapi locator";
const KEY_ID_LABEL: &[u8] = b"mls-webapi key id";
const RECORD_SET_LABEL: &[u8] = b"mls-webapi record set";
const RECORD_KEY_LABEL: &[u8] = b"mls-webapi record";
const AAD_LABEL: &[u8] = b"mls-webapi record v1";

/// The origin's record key *K*: 32 bytes from the CSPRNG (spec §9.1). Zeroized on drop
/// and never printed.
pub struct OriginKey(Zeroizing<[u8; KEY_LEN]>);

impl OriginKey {
    /// A fresh key, or an error if the random source fails.
    pub fn generate(random: &mut dyn Random) -> Result<Self, StoreError> {
        let mut key = Zeroizing::new([0; KEY_LEN]);
        random.try_fill(key.as_mut_slice())?;
        Ok(OriginKey(key))
    }

    /// The key held by `bytes`, which must be exactly 32 bytes long.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, StoreError> {
        let mut key = Zeroizing::new([0; KEY_LEN]);
        if bytes.len() != KEY_LEN {
            return Err(StoreError::KeyLength(bytes.len()));
        }
        key.copy_from_slice(bytes);
        Ok(OriginKey(key))
    }

    /// The raw key, to be written to the `key` file.
    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
}

impl core::fmt::Debug for OriginKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("OriginKey(..)")
    }
}

/// Where a record lives in the store: a keyed hash of its kind and id, so the store never
/// sees the id itself (spec §9.2). Not secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Locator(pub [u8; 32]);

/// The keys derived from an [`OriginKey`]; everything needed to seal and open records.
pub struct RecordKeys {
    /// HKDF with PRK, for the per-record keys. (The `hkdf` crate does not zeroize its
    /// HMAC state; our own copies of key bytes are zeroized.)
    prk: Hkdf<Sha256>,
    locator_key: Zeroizing<[u8; KEY_LEN]>,
    record_set_key: Zeroizing<[u8; KEY_LEN]>,
    key_id: [u8; KEY_LEN],
}

impl RecordKeys {
    /// Derives the keys of spec §9.2 from the origin key.
    pub fn derive(key: &OriginKey) -> Self {
        let prk = Hkdf::<Sha256>::new(Some(EXTRACT_SALT), key.as_bytes());
        let mut locator_key = Zeroizing::new([0; KEY_LEN]);
        let mut record_set_key = Zeroizing::new([0; KEY_LEN]);
        let mut key_id = [0; KEY_LEN];
        expand(&prk, &[LOCATOR_LABEL], locator_key.as_mut_slice());
        expand(&prk, &[RECORD_SET_LABEL], record_set_key.as_mut_slice());
        expand(&prk, &[KEY_ID_LABEL], &mut key_id);
        RecordKeys {
            prk,
            locator_key,
            record_set_key,
            key_id,
        }
    }

    /// `K_id`, stored beside the records so that records sealed under another key (a
    /// missing, replaced or damaged `key`) are an error rather than an empty origin, and a
    /// database a deletion left without rows is recognized (spec §9.1). A PRF output: it
    /// reveals nothing about *K*.
    pub fn key_id(&self) -> [u8; KEY_LEN] {
        self.key_id
    }

    /// The MAC of the set of locators the database holds, `locators` being in ascending
    /// order (spec §9.2): a row removed, added or moved to another locator changes it.
    pub fn record_set<'l>(&self, locators: impl IntoIterator<Item = &'l Locator>) -> [u8; KEY_LEN] {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.record_set_key.as_slice())
            .expect("HMAC takes any key length");
        for locator in locators {
            mac.update(&locator.0);
        }
        mac.finalize().into_bytes().into()
    }

    /// The locator of the record (`kind`, `id`).
    pub fn locator(&self, kind: RecordKind, id: &[u8]) -> Result<Locator, StoreError> {
        let name = record_name(kind, id)?;
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.locator_key.as_slice())
            .expect("HMAC takes any key length");
        mac.update(&name);
        Ok(Locator(mac.finalize().into_bytes().into()))
    }

    /// Seals `plaintext` as the record (`kind`, `id`) with a fresh random nonce.
    pub fn seal(
        &self,
        kind: RecordKind,
        id: &[u8],
        plaintext: &[u8],
        random: &mut dyn Random,
    ) -> Result<Vec<u8>, StoreError> {
        let name = record_name(kind, id)?;
        let cipher = self.cipher(&name);
        let mut nonce = [0; NONCE_LEN];
        random.try_fill(&mut nonce)?;
        let payload = Payload {
            msg: plaintext,
            aad: &aad(&name),
        };
        let ciphertext = cipher
            .encrypt(&XNonce::from(nonce), payload)
            .map_err(|_| StoreError::RecordTooLong(plaintext.len()))?;
        let mut sealed = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
        sealed.push(FORMAT_VERSION);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        Ok(sealed)
    }

    /// Opens `sealed` as the record (`kind`, `id`). Any failure is an error, never an
    /// absent record (spec §9.2).
    pub fn open(
        &self,
        kind: RecordKind,
        id: &[u8],
        sealed: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, StoreError> {
        let (&version, rest) = sealed.split_first().ok_or(StoreError::RecordUnreadable)?;
        if version != FORMAT_VERSION {
            return Err(StoreError::UnknownRecordVersion(version));
        }
        if rest.len() < NONCE_LEN + TAG_LEN {
            return Err(StoreError::RecordUnreadable);
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let nonce = XNonce::try_from(nonce).map_err(|_| StoreError::RecordUnreadable)?;
        let name = record_name(kind, id)?;
        let payload = Payload {
            msg: ciphertext,
            aad: &aad(&name),
        };
        self.cipher(&name)
            .decrypt(&nonce, payload)
            .map(Zeroizing::new)
            .map_err(|_| StoreError::RecordUnreadable)
    }

    /// XChaCha20-Poly1305 keyed with `K_rec(k, id)`.
    fn cipher(&self, name: &[u8]) -> XChaCha20Poly1305 {
        let mut record_key = Zeroizing::new([0; KEY_LEN]);
        expand(
            &self.prk,
            &[RECORD_KEY_LABEL, name],
            record_key.as_mut_slice(),
        );
        XChaCha20Poly1305::new(&(*record_key).into())
    }
}

/// `k || opaque<V>(id)`, the part of the locator, record key and AAD that names the record.
fn record_name(kind: RecordKind, id: &[u8]) -> Result<Vec<u8>, StoreError> {
    if id.len() > MAX_VECTOR_LEN {
        return Err(StoreError::IdTooLong(id.len()));
    }
    let mut name = Vec::with_capacity(id.len() + 5);
    name.push(kind.byte());
    write_opaque(&mut name, id);
    Ok(name)
}

/// `AAD(k, id)`: the format version's label followed by the record's name.
fn aad(name: &[u8]) -> Vec<u8> {
    [AAD_LABEL, name].concat()
}

/// HKDF-Expand of `info` (given in parts) into `out`, which is always 32 bytes here.
fn expand(prk: &Hkdf<Sha256>, info: &[&[u8]], out: &mut [u8]) {
    // Only an output longer than 255 · 32 bytes can fail; ours are 32 bytes.
    prk.expand_multi_info(info, out)
        .expect("HKDF-SHA-256 expands 32 bytes");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SeededRandom;

    fn keys(seed: u64) -> RecordKeys {
        RecordKeys::derive(&OriginKey::generate(&mut SeededRandom::new(seed)).unwrap())
    }

    #[test]
    fn a_sealed_record_opens_to_its_plaintext() {
        let keys = keys(1);
        let sealed = keys
            .seal(
                RecordKind::Group,
                b"id",
                b"secret state",
                &mut SeededRandom::new(2),
            )
            .unwrap();
        assert_eq!(sealed[0], FORMAT_VERSION);
        assert_eq!(sealed.len(), 1 + 24 + 12 + 16);
        let opened = keys.open(RecordKind::Group, b"id", &sealed).unwrap();
        assert_eq!(opened.as_slice(), b"secret state");
    }

    #[test]
    fn two_seals_of_the_same_record_use_different_nonces() {
        let keys = keys(1);
        let mut random = SeededRandom::new(3);
        let first = keys
            .seal(RecordKind::Identity, b"a", b"x", &mut random)
            .unwrap();
        let second = keys
            .seal(RecordKind::Identity, b"a", b"x", &mut random)
            .unwrap();
        assert_ne!(first, second);
    }

    #[test]
    fn a_record_presented_as_another_kind_or_id_does_not_open() {
        let keys = keys(1);
        let sealed = keys
            .seal(
                RecordKind::Identity,
                b"alice",
                b"x",
                &mut SeededRandom::new(2),
            )
            .unwrap();
        assert!(matches!(
            keys.open(RecordKind::KeyPackage, b"alice", &sealed),
            Err(StoreError::RecordUnreadable)
        ));
        assert!(matches!(
            keys.open(RecordKind::Identity, b"alicf", &sealed),
            Err(StoreError::RecordUnreadable)
        ));
    }

    #[test]
    fn a_record_does_not_open_under_another_origin_key() {
        let sealed = keys(1)
            .seal(RecordKind::Identity, b"a", b"x", &mut SeededRandom::new(2))
            .unwrap();
        assert!(matches!(
            keys(9).open(RecordKind::Identity, b"a", &sealed),
            Err(StoreError::RecordUnreadable)
        ));
    }

    #[test]
    fn every_flipped_bit_and_every_truncation_makes_a_record_fail_to_open() {
        let keys = keys(1);
        let sealed = keys
            .seal(RecordKind::Group, b"g", b"state", &mut SeededRandom::new(2))
            .unwrap();
        for index in 0..sealed.len() {
            for bit in 0..8 {
                let mut modified = sealed.clone();
                modified[index] ^= 1 << bit;
                assert!(keys.open(RecordKind::Group, b"g", &modified).is_err());
            }
        }
        for length in 0..sealed.len() {
            assert!(
                keys.open(RecordKind::Group, b"g", &sealed[..length])
                    .is_err()
            );
        }
    }

    #[test]
    fn an_unknown_format_version_is_reported_as_such() {
        let keys = keys(1);
        let mut sealed = keys
            .seal(RecordKind::Group, b"g", b"state", &mut SeededRandom::new(2))
            .unwrap();
        sealed[0] = 0x02;
        assert!(matches!(
            keys.open(RecordKind::Group, b"g", &sealed),
            Err(StoreError::UnknownRecordVersion(2))
        ));
    }

    #[test]
    fn locators_depend_on_the_key_the_kind_and_the_id() {
        let (one, two) = (keys(1), keys(2));
        let base = one.locator(RecordKind::Group, b"g").unwrap();
        assert_eq!(base, one.locator(RecordKind::Group, b"g").unwrap());
        assert_ne!(base, two.locator(RecordKind::Group, b"g").unwrap());
        assert_ne!(base, one.locator(RecordKind::Identity, b"g").unwrap());
        assert_ne!(base, one.locator(RecordKind::Group, b"h").unwrap());
    }

    #[test]
    fn the_derivation_follows_spec_section_9_2() {
        let key = OriginKey::from_bytes(&[7; 32]).unwrap();
        let keys = RecordKeys::derive(&key);
        let prk = Hkdf::<Sha256>::new(Some(b"mls-webapi storage v1"), &[7; 32]);
        let mut locator_key = [0; 32];
        prk.expand(b"mls-webapi locator", &mut locator_key).unwrap();
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&locator_key).unwrap();
        mac.update(b"\x03\x02ab");
        let expected: [u8; 32] = mac.finalize().into_bytes().into();
        assert_eq!(keys.locator(RecordKind::Group, b"ab").unwrap().0, expected);

        let mut record_key = [0; 32];
        prk.expand(b"mls-webapi record\x03\x02ab", &mut record_key)
            .unwrap();
        let sealed = keys
            .seal(RecordKind::Group, b"ab", b"p", &mut SeededRandom::new(4))
            .unwrap();
        let cipher = XChaCha20Poly1305::new(&record_key.into());
        let nonce = XNonce::try_from(&sealed[1..25]).unwrap();
        let payload = Payload {
            msg: &sealed[25..],
            aad: b"mls-webapi record v1\x03\x02ab",
        };
        assert_eq!(cipher.decrypt(&nonce, payload).unwrap(), b"p");
    }

    #[test]
    fn the_record_set_mac_follows_spec_section_9_2() {
        let keys = RecordKeys::derive(&OriginKey::from_bytes(&[7; 32]).unwrap());
        let prk = Hkdf::<Sha256>::new(Some(b"mls-webapi storage v1"), &[7; 32]);
        let mut set_key = [0; 32];
        prk.expand(b"mls-webapi record set", &mut set_key).unwrap();
        let (one, two) = (Locator([1; 32]), Locator([2; 32]));
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&set_key).unwrap();
        mac.update(&[[1; 32], [2; 32]].concat());
        let expected: [u8; 32] = mac.finalize().into_bytes().into();
        assert_eq!(keys.record_set([&one, &two]), expected);
        assert_ne!(keys.record_set([&one]), expected);
        assert_ne!(keys.record_set([&one, &Locator([3; 32])]), expected);
    }

    #[test]
    fn a_key_of_the_wrong_length_is_refused() {
        assert!(matches!(
            OriginKey::from_bytes(&[0; 31]),
            Err(StoreError::KeyLength(31))
        ));
    }

    #[test]
    fn the_origin_key_is_never_printed() {
        let key = OriginKey::from_bytes(&[0xab; 32]).unwrap();
        assert_eq!(format!("{key:?}"), "OriginKey(..)");
    }
}
