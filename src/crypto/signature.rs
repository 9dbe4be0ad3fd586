//! Signatures: `SignWithLabel` / `VerifyWithLabel` (RFC 9420 §5.1.2) over Ed25519 and
//! Ed448 (RFC 8032, pure mode, empty context) and ECDSA on P-256, P-384 and P-521 with
//! SHA-256, SHA-384 and SHA-512 (deterministic nonces, RFC 6979).
//!
//! Encodings (RFC 9420 §5.1.2 and the TLS 1.3 signature schemes it names):
//!
//! - Ed25519 / Ed448: private key = the 32- / 57-byte seed, public key = the 32- / 57-byte
//!   compressed point, signature = the 64- / 114-byte `R || S`.
//! - ECDSA: private key = the big-endian scalar, public key = the uncompressed SEC1
//!   point `0x04 || X || Y`, signature = DER `Ecdsa-Sig-Value` (RFC 3279 §2.2.3).
//!   Private scalars shorter than the field are left-padded with zeros: some peers drop
//!   leading zero bytes (65-byte P-521 keys occur in the RFC 9420 test vectors).

use super::kdf::LABEL_PREFIX;
use super::{CipherSuite, Random, Secret, SignatureScheme};
use crate::codec::write_opaque;
use crate::error::{CryptoError, Error};

/// A signature public key: raw `SignaturePublicKey` bytes (Ed25519/Ed448 native encoding,
/// uncompressed SEC1 point for ECDSA).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignaturePublicKey(pub Vec<u8>);

/// A signature private key (Ed25519/Ed448 seed, ECDSA big-endian scalar; short ECDSA
/// scalars are left-padded on use). Zeroized on drop, never printed, and opaque: no
/// public function gives its bytes or makes one from bytes (the `test-support` feature
/// adds `from_bytes`, for tests only).
#[derive(Debug, Clone)]
pub struct SignaturePrivateKey(pub(crate) Secret);

#[cfg(feature = "test-support")]
impl SignaturePrivateKey {
    /// **Test support only** (feature `test-support`, off by default; not part of the
    /// documented API): the signature private key whose encoding is `bytes`, for test vectors
    /// that give private keys. A key is checked only when it is used.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        SignaturePrivateKey(Secret::from(bytes))
    }
}

/// The input that `SignWithLabel` signs (§5.1.2):
///
/// ```text
/// struct {
///     opaque label<V>;   // "MLS 1.0 " + Label
///     opaque content<V>;
/// } SignContent;
/// ```
fn sign_content(label: &[u8], content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(LABEL_PREFIX.len() + label.len() + content.len() + 8);
    write_opaque(&mut out, &[LABEL_PREFIX, label].concat());
    write_opaque(&mut out, content);
    out
}

/// `bytes` as a big-endian integer of exactly `len` bytes: left-padded with zeros when
/// shorter, `None` when longer. Used for ECDSA and HPKE private scalars (§5.1.2 pitfall:
/// peers may drop leading zero bytes).
pub(super) fn left_pad(bytes: &[u8], len: usize) -> Option<Secret> {
    let pad = len.checked_sub(bytes.len())?;
    let mut out = vec![0u8; len];
    out[pad..].copy_from_slice(bytes);
    Some(Secret::new(out))
}

/// ECDSA over one curve, where the curve crate is `$curve`. Each module holds the same
/// four functions; the dispatch `match`es of [`CipherSuite`] pick one.
macro_rules! ecdsa_curve {
    ($module:ident, $curve:ident, $name:literal, $field_len:literal) => {
        mod $module {
            use super::*;
            use $curve::ecdsa::signature::{Signer, Verifier};
            use $curve::ecdsa::{DerSignature, SigningKey, VerifyingKey};
            use $curve::elliptic_curve::Generate;

            /// The algorithm's name in error messages.
            const ALG: &str = $name;
            /// The length of a field element (and of a private scalar).
            const FIELD_LEN: usize = $field_len;

            fn signing_key(private: &[u8]) -> Result<SigningKey, Error> {
                let padded =
                    left_pad(private, FIELD_LEN).ok_or(CryptoError::InvalidPrivateKey(ALG))?;
                SigningKey::from_slice(padded.as_bytes())
                    .map_err(|_| CryptoError::InvalidPrivateKey(ALG).into())
            }

            pub(super) fn generate(rng: &mut dyn Random) -> Result<Secret, Error> {
                let key = SigningKey::try_generate_from_rng(&mut crate::crypto::RngAdapter(rng))?;
                Ok(Secret::new(key.to_bytes().to_vec()))
            }

            pub(super) fn public_key(private: &[u8]) -> Result<Vec<u8>, Error> {
                let key = signing_key(private)?;
                Ok(key.verifying_key().to_sec1_point(false).as_bytes().to_vec())
            }

            pub(super) fn sign(private: &[u8], message: &[u8]) -> Result<Vec<u8>, Error> {
                let signature: DerSignature = signing_key(private)?
                    .try_sign(message)
                    .map_err(|_| CryptoError::InvalidPrivateKey(ALG))?;
                Ok(signature.as_bytes().to_vec())
            }

            pub(super) fn verify(
                public: &[u8],
                message: &[u8],
                signature: &[u8],
            ) -> Result<(), Error> {
                // Only the uncompressed form `0x04 || X || Y` is a valid MLS public key.
                if public.len() != 1 + 2 * FIELD_LEN || public[0] != 0x04 {
                    return Err(CryptoError::InvalidPublicKey(ALG).into());
                }
                let key = VerifyingKey::from_sec1_bytes(public)
                    .map_err(|_| CryptoError::InvalidPublicKey(ALG))?;
                let signature = DerSignature::from_bytes(signature)
                    .map_err(|_| CryptoError::InvalidSignature)?;
                key.verify(message, &signature)
                    .map_err(|_| CryptoError::InvalidSignature.into())
            }
        }
    };
}

ecdsa_curve!(ecdsa_p256, p256, "ECDSA P-256", 32);
ecdsa_curve!(ecdsa_p384, p384, "ECDSA P-384", 48);
ecdsa_curve!(ecdsa_p521, p521, "ECDSA P-521", 66);

/// Ed25519 (RFC 8032 §5.1).
mod ed25519 {
    use super::*;
    use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

    const ALG: &str = "Ed25519";

    fn signing_key(private: &[u8]) -> Result<SigningKey, Error> {
        SigningKey::try_from(private).map_err(|_| CryptoError::InvalidPrivateKey(ALG).into())
    }

    pub(super) fn generate(rng: &mut dyn Random) -> Result<Secret, Error> {
        Ok(Secret::new(rng.bytes(ed25519_dalek::SECRET_KEY_LENGTH)?))
    }

    pub(super) fn public_key(private: &[u8]) -> Result<Vec<u8>, Error> {
        Ok(signing_key(private)?.verifying_key().to_bytes().to_vec())
    }

    pub(super) fn sign(private: &[u8], message: &[u8]) -> Result<Vec<u8>, Error> {
        Ok(signing_key(private)?.sign(message).to_bytes().to_vec())
    }

    pub(super) fn verify(public: &[u8], message: &[u8], signature: &[u8]) -> Result<(), Error> {
        let key = <&[u8; ed25519_dalek::PUBLIC_KEY_LENGTH]>::try_from(public)
            .ok()
            .and_then(|bytes| VerifyingKey::from_bytes(bytes).ok())
            .ok_or(CryptoError::InvalidPublicKey(ALG))?;
        let signature =
            Signature::from_slice(signature).map_err(|_| CryptoError::InvalidSignature)?;
        // `verify_strict` also rejects small-order keys and `R` values, which no honest
        // signer produces, closing off signature malleability.
        key.verify_strict(message, &signature)
            .map_err(|_| CryptoError::InvalidSignature.into())
    }
}

/// Ed448 (RFC 8032 §5.2, pure Ed448 with an empty context).
mod ed448 {
    use super::*;
    use ed448_goldilocks::{
        PUBLIC_KEY_LENGTH, SECRET_KEY_LENGTH, Signature, SigningKey, VerifyingKey,
    };

    const ALG: &str = "Ed448";

    fn signing_key(private: &[u8]) -> Result<SigningKey, Error> {
        SigningKey::try_from(private).map_err(|_| CryptoError::InvalidPrivateKey(ALG).into())
    }

    pub(super) fn generate(rng: &mut dyn Random) -> Result<Secret, Error> {
        Ok(Secret::new(rng.bytes(SECRET_KEY_LENGTH)?))
    }

    pub(super) fn public_key(private: &[u8]) -> Result<Vec<u8>, Error> {
        Ok(signing_key(private)?.verifying_key().to_bytes().to_vec())
    }

    pub(super) fn sign(private: &[u8], message: &[u8]) -> Result<Vec<u8>, Error> {
        Ok(signing_key(private)?.sign_raw(message).to_bytes().to_vec())
    }

    pub(super) fn verify(public: &[u8], message: &[u8], signature: &[u8]) -> Result<(), Error> {
        let key = <&[u8; PUBLIC_KEY_LENGTH]>::try_from(public)
            .ok()
            .and_then(|bytes| VerifyingKey::from_bytes(bytes).ok())
            .ok_or(CryptoError::InvalidPublicKey(ALG))?;
        let signature =
            Signature::from_slice(signature).map_err(|_| CryptoError::InvalidSignature)?;
        key.verify_raw(&signature, message)
            .map_err(|_| CryptoError::InvalidSignature.into())
    }
}

impl CipherSuite {
    /// A fresh random signature key pair.
    pub fn generate_signature_key_pair(
        &self,
        rng: &mut dyn Random,
    ) -> Result<(SignaturePrivateKey, SignaturePublicKey), Error> {
        let private = SignaturePrivateKey(match self.signature {
            SignatureScheme::Ed25519 => ed25519::generate(rng)?,
            SignatureScheme::Ed448 => ed448::generate(rng)?,
            SignatureScheme::EcdsaP256Sha256 => ecdsa_p256::generate(rng)?,
            SignatureScheme::EcdsaP384Sha384 => ecdsa_p384::generate(rng)?,
            SignatureScheme::EcdsaP521Sha512 => ecdsa_p521::generate(rng)?,
        });
        let public = self.signature_public_key(&private)?;
        Ok((private, public))
    }

    /// The public key of `private`.
    pub fn signature_public_key(
        &self,
        private: &SignaturePrivateKey,
    ) -> Result<SignaturePublicKey, Error> {
        let private = private.0.as_bytes();
        let public = match self.signature {
            SignatureScheme::Ed25519 => ed25519::public_key(private)?,
            SignatureScheme::Ed448 => ed448::public_key(private)?,
            SignatureScheme::EcdsaP256Sha256 => ecdsa_p256::public_key(private)?,
            SignatureScheme::EcdsaP384Sha384 => ecdsa_p384::public_key(private)?,
            SignatureScheme::EcdsaP521Sha512 => ecdsa_p521::public_key(private)?,
        };
        Ok(SignaturePublicKey(public))
    }

    /// `SignWithLabel(SignatureKey, Label, Content)` (§5.1.2): signs
    /// `SignContent{"MLS 1.0 " + label, content}`. `label` is given without the prefix.
    pub fn sign_with_label(
        &self,
        private: &SignaturePrivateKey,
        label: &[u8],
        content: &[u8],
    ) -> Result<Vec<u8>, Error> {
        let private = private.0.as_bytes();
        let message = sign_content(label, content);
        match self.signature {
            SignatureScheme::Ed25519 => ed25519::sign(private, &message),
            SignatureScheme::Ed448 => ed448::sign(private, &message),
            SignatureScheme::EcdsaP256Sha256 => ecdsa_p256::sign(private, &message),
            SignatureScheme::EcdsaP384Sha384 => ecdsa_p384::sign(private, &message),
            SignatureScheme::EcdsaP521Sha512 => ecdsa_p521::sign(private, &message),
        }
    }

    /// `VerifyWithLabel(VerificationKey, Label, Content, SignatureValue)` (§5.1.2).
    /// Returns [`CryptoError::InvalidSignature`] for a signature that does not verify or is
    /// not validly encoded, and [`CryptoError::InvalidPublicKey`] for a malformed key.
    pub fn verify_with_label(
        &self,
        public: &[u8],
        label: &[u8],
        content: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        let message = sign_content(label, content);
        match self.signature {
            SignatureScheme::Ed25519 => ed25519::verify(public, &message, signature),
            SignatureScheme::Ed448 => ed448::verify(public, &message, signature),
            SignatureScheme::EcdsaP256Sha256 => ecdsa_p256::verify(public, &message, signature),
            SignatureScheme::EcdsaP384Sha384 => ecdsa_p384::verify(public, &message, signature),
            SignatureScheme::EcdsaP521Sha512 => ecdsa_p521::verify(public, &message, signature),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SeededRandom;

    /// Suites 1, 2, 4, 5 and 7 cover the five signature schemes.
    const ONE_SUITE_PER_SCHEME: [u16; 5] = [1, 2, 4, 5, 7];

    fn key_pair(suite: CipherSuite) -> (SignaturePrivateKey, SignaturePublicKey) {
        suite
            .generate_signature_key_pair(&mut SeededRandom::new(u64::from(suite.id())))
            .unwrap()
    }

    #[test]
    fn sign_content_prefixes_the_label() {
        assert_eq!(sign_content(b"L", b"ab"), b"\x09MLS 1.0 L\x02ab".to_vec());
    }

    #[test]
    fn every_scheme_verifies_its_own_signature() {
        for id in ONE_SUITE_PER_SCHEME {
            let suite = CipherSuite::new(id).unwrap();
            let (private, public) = key_pair(suite);
            let signature = suite
                .sign_with_label(&private, b"Label", b"content")
                .unwrap();
            assert_eq!(
                suite.verify_with_label(&public.0, b"Label", b"content", &signature),
                Ok(()),
                "suite {id}"
            );
        }
    }

    #[test]
    fn a_wrong_label_or_content_is_rejected() {
        for id in ONE_SUITE_PER_SCHEME {
            let suite = CipherSuite::new(id).unwrap();
            let (private, public) = key_pair(suite);
            let signature = suite
                .sign_with_label(&private, b"Label", b"content")
                .unwrap();
            let bad = Err(CryptoError::InvalidSignature.into());
            assert_eq!(
                suite.verify_with_label(&public.0, b"Lab", b"content", &signature),
                bad
            );
            assert_eq!(
                suite.verify_with_label(&public.0, b"Label", b"contenT", &signature),
                bad
            );
        }
    }

    #[test]
    fn a_flipped_signature_byte_is_rejected() {
        for id in ONE_SUITE_PER_SCHEME {
            let suite = CipherSuite::new(id).unwrap();
            let (private, public) = key_pair(suite);
            let signature = suite.sign_with_label(&private, b"L", b"c").unwrap();
            for i in 0..signature.len() {
                let mut flipped = signature.clone();
                flipped[i] ^= 0x01;
                assert_eq!(
                    suite.verify_with_label(&public.0, b"L", b"c", &flipped),
                    Err(CryptoError::InvalidSignature.into()),
                    "suite {id}, byte {i}"
                );
            }
        }
    }

    #[test]
    fn a_signature_by_another_key_is_rejected() {
        for id in ONE_SUITE_PER_SCHEME {
            let suite = CipherSuite::new(id).unwrap();
            let (private, _) = key_pair(suite);
            let (_, other_public) = suite
                .generate_signature_key_pair(&mut SeededRandom::new(99))
                .unwrap();
            let signature = suite.sign_with_label(&private, b"L", b"c").unwrap();
            assert_eq!(
                suite.verify_with_label(&other_public.0, b"L", b"c", &signature),
                Err(CryptoError::InvalidSignature.into())
            );
        }
    }

    #[test]
    fn malformed_signatures_are_rejected_without_panicking() {
        for id in ONE_SUITE_PER_SCHEME {
            let suite = CipherSuite::new(id).unwrap();
            let (private, public) = key_pair(suite);
            let good = suite.sign_with_label(&private, b"L", b"c").unwrap();
            let mut longer = good.clone();
            longer.push(0);
            for signature in [
                vec![],
                vec![0x30],
                vec![0xff; 200],
                good[..good.len() - 1].to_vec(),
                longer,
            ] {
                assert_eq!(
                    suite.verify_with_label(&public.0, b"L", b"c", &signature),
                    Err(CryptoError::InvalidSignature.into()),
                    "suite {id}"
                );
            }
        }
    }

    #[test]
    fn malformed_public_keys_are_rejected_without_panicking() {
        for id in ONE_SUITE_PER_SCHEME {
            let suite = CipherSuite::new(id).unwrap();
            let (private, public) = key_pair(suite);
            let signature = suite.sign_with_label(&private, b"L", b"c").unwrap();
            let mut off_curve = public.0.clone();
            let last = off_curve.len() - 1;
            off_curve[last] ^= 0x01;
            let mut compressed = public.0[..public.0.len().div_ceil(2)].to_vec();
            compressed[0] = 0x02;
            for key in [
                vec![],
                vec![0x04],
                vec![0; public.0.len()],
                vec![0xff; public.0.len()],
                off_curve,
                compressed,
            ] {
                let result = suite.verify_with_label(&key, b"L", b"c", &signature);
                assert!(
                    matches!(
                        result,
                        Err(Error::Crypto(
                            CryptoError::InvalidPublicKey(_) | CryptoError::InvalidSignature
                        ))
                    ),
                    "suite {id}: {result:?}"
                );
            }
            // Keys of the wrong length are always malformed keys, never a bad signature.
            assert!(matches!(
                suite.verify_with_label(&public.0[1..], b"L", b"c", &signature),
                Err(Error::Crypto(CryptoError::InvalidPublicKey(_)))
            ));
        }
    }

    #[test]
    fn malformed_private_keys_are_rejected_without_panicking() {
        for id in ONE_SUITE_PER_SCHEME {
            let suite = CipherSuite::new(id).unwrap();
            let too_long = SignaturePrivateKey(Secret::new(vec![1; 67]));
            let zero = SignaturePrivateKey(Secret::new(vec![0; 32]));
            assert!(matches!(
                suite.sign_with_label(&too_long, b"L", b"c"),
                Err(Error::Crypto(CryptoError::InvalidPrivateKey(_)))
            ));
            assert!(matches!(
                suite.signature_public_key(&too_long),
                Err(Error::Crypto(CryptoError::InvalidPrivateKey(_)))
            ));
            // A zero scalar is invalid for ECDSA; a zero seed is a valid EdDSA seed.
            if id == 2 || id == 5 || id == 7 {
                assert!(matches!(
                    suite.sign_with_label(&zero, b"L", b"c"),
                    Err(Error::Crypto(CryptoError::InvalidPrivateKey(_)))
                ));
            }
        }
    }

    #[test]
    fn an_ecdsa_scalar_of_the_order_or_more_is_rejected() {
        let suite = CipherSuite::new(2).unwrap();
        let all_ones = SignaturePrivateKey(Secret::new(vec![0xff; 32]));
        assert_eq!(
            suite.signature_public_key(&all_ones),
            Err(CryptoError::InvalidPrivateKey("ECDSA P-256").into())
        );
    }

    #[test]
    fn a_p521_private_key_without_its_leading_zero_byte_is_accepted() {
        let suite = CipherSuite::new(5).unwrap();
        // Find a generated key whose scalar starts with a zero byte, as P-521 keys
        // usually do (the top byte holds a single bit).
        let (private, public) = (0..)
            .map(|seed| {
                suite
                    .generate_signature_key_pair(&mut SeededRandom::new(seed))
                    .unwrap()
            })
            .find(|(private, _)| private.0.as_bytes()[0] == 0)
            .unwrap();
        assert_eq!(private.0.len(), 66);
        let short = SignaturePrivateKey(Secret::new(private.0.as_bytes()[1..].to_vec()));
        assert_eq!(suite.signature_public_key(&short).unwrap(), public);
        let signature = suite.sign_with_label(&short, b"L", b"c").unwrap();
        assert_eq!(
            suite.verify_with_label(&public.0, b"L", b"c", &signature),
            Ok(())
        );
    }

    #[test]
    fn ecdsa_signatures_are_der_and_public_keys_uncompressed() {
        for (id, point_len) in [(2u16, 65usize), (7, 97), (5, 133)] {
            let suite = CipherSuite::new(id).unwrap();
            let (private, public) = key_pair(suite);
            assert_eq!(public.0.len(), point_len);
            assert_eq!(public.0[0], 0x04);
            let signature = suite.sign_with_label(&private, b"L", b"c").unwrap();
            assert_eq!(signature[0], 0x30, "DER SEQUENCE");
        }
    }

    #[test]
    fn eddsa_keys_and_signatures_have_their_native_lengths() {
        for (id, key_len, sig_len) in [(1u16, 32usize, 64usize), (4, 57, 114)] {
            let suite = CipherSuite::new(id).unwrap();
            let (private, public) = key_pair(suite);
            assert_eq!((private.0.len(), public.0.len()), (key_len, key_len));
            let signature = suite.sign_with_label(&private, b"L", b"c").unwrap();
            assert_eq!(signature.len(), sig_len);
        }
    }

    #[test]
    fn ed25519_matches_rfc_8032_test_1() {
        // RFC 8032 §7.1, TEST 1 (empty message). SignWithLabel signs SignContent, so
        // check the primitive directly.
        let seed = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        let public = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assert_eq!(ed25519::public_key(&seed).unwrap(), public);
        let signature = ed25519::sign(&seed, b"").unwrap();
        assert_eq!(
            signature,
            hex(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
            )
        );
        assert_eq!(ed25519::verify(&public, b"", &signature), Ok(()));
    }

    #[test]
    fn ed448_matches_rfc_8032_blank_message_test() {
        // RFC 8032 §7.4, "-----Blank" (Ed448, empty context).
        let seed = hex(
            "6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3528c8a3fcc2f044e39a3fc5b94492f8f032e7549a20098f95b",
        );
        let public = hex(
            "5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180",
        );
        assert_eq!(ed448::public_key(&seed).unwrap(), public);
        let signature = ed448::sign(&seed, b"").unwrap();
        assert_eq!(
            signature,
            hex(
                "533a37f6bbe457251f023c0d88f976ae2dfb504a843e34d2074fd823d41a591f2b233f034f628281f2fd7a22ddd47d7828c59bd0a21bfd3980ff0d2028d4b18a9df63e006c5d1c2d345b925d8dc00b4104852db99ac5c7cdda8530a113a0f4dbb61149f05a7363268c71d95808ff2e652600"
            )
        );
        assert_eq!(ed448::verify(&public, b"", &signature), Ok(()));
    }

    fn hex(s: &str) -> Vec<u8> {
        ::hex::decode(s).unwrap()
    }

    /// Key, point and signature lengths of the five schemes, their neighbours, and 0.
    const INTERESTING_LENGTHS: [usize; 14] =
        [0, 31, 32, 33, 48, 57, 64, 65, 66, 97, 102, 114, 133, 139];

    proptest::proptest! {
        #[test]
        fn arbitrary_keys_and_signatures_never_panic(
            id in 1u16..=7,
            key_len in proptest::sample::select(INTERESTING_LENGTHS.to_vec()),
            mut key in proptest::collection::vec(proptest::num::u8::ANY, 140),
            signature_len in proptest::sample::select(INTERESTING_LENGTHS.to_vec()),
            mut signature in proptest::collection::vec(proptest::num::u8::ANY, 140),
        ) {
            key.truncate(key_len);
            signature.truncate(signature_len);
            let suite = CipherSuite::new(id).unwrap();
            let _ = suite.verify_with_label(&key, b"L", b"c", &signature);
            let private = SignaturePrivateKey(Secret::new(key));
            let _ = suite.signature_public_key(&private);
            let _ = suite.sign_with_label(&private, b"L", b"c");
        }
    }
}
