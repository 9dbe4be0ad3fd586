//! HPKE (RFC 9180) as RFC 9420 uses it: `EncryptWithLabel` / `DecryptWithLabel` (§5.1.3),
//! `DeriveKeyPair`, and the exporter used by external commits (§12.4.3.2).
//!
//! Every suite uses HPKE in base mode with the suite's KEM, its KDF (HKDF with the
//! suite's hash) and its AEAD. The `hpke` crate provides DHKEM over X25519, P-256, P-384
//! and P-521, which covers suites 1, 2, 3, 5 and 7. No well-kept crate of the current
//! RustCrypto generation provides DHKEM(X448, HKDF-SHA512), so every HPKE operation of
//! suites 4 and 6 returns [`Unsupported::Primitive`]; their signatures and AEAD work.
//!
//! Keys are the KEM's `SerializePublicKey` / `SerializePrivateKey` bytes (RFC 9180
//! §7.1.1, §7.1.2). P-curve private scalars shorter than `Nsk` are left-padded with zeros
//! on import, as for ECDSA keys.

use hpke::aead::{AesGcm128, AesGcm256, ChaCha20Poly1305};
use hpke::kdf::{HkdfSha256, HkdfSha384, HkdfSha512};
use hpke::kem::{DhP256HkdfSha256, DhP384HkdfSha384, DhP521HkdfSha512, X25519HkdfSha256};
use hpke::{Deserializable, HpkeError, Kem, OpModeR, OpModeS, Serializable};

use super::kdf::LABEL_PREFIX;
use super::signature::left_pad;
use super::{AeadAlgorithm, CipherSuite, KemAlgorithm, Prefetched, Random, Secret};
use crate::codec::write_opaque;
use crate::error::{CryptoError, Error, Unsupported};

/// An HPKE public key: the KEM's `SerializePublicKey` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HpkePublicKey(pub Vec<u8>);

/// An HPKE private key: the KEM's `SerializePrivateKey` bytes. Zeroized on drop, never
/// printed, and opaque: no public function gives its bytes or makes one from bytes (the
/// `test-support` feature adds `from_bytes`, for tests only).
#[derive(Debug, Clone)]
pub struct HpkePrivateKey(pub(crate) Secret);

#[cfg(feature = "test-support")]
impl HpkePrivateKey {
    /// **Test support only** (feature `test-support`, off by default; not part of the
    /// documented API): the HPKE private key whose encoding is `bytes`, for test vectors
    /// that give private keys. A key is checked only when it is used.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        HpkePrivateKey(Secret::from(bytes))
    }
}

/// Why suites 4 and 6 have no HPKE.
const NO_X448: &str = "DHKEM(X448, HKDF-SHA512): no well-kept HPKE crate provides it \
                       (hpke 0.15 and hpke-rs 0.8 cover X25519 and P-256/384/521 only)";

/// The `info` that `EncryptWithLabel` passes to HPKE (§5.1.3):
///
/// ```text
/// struct {
///     opaque label<V>;   // "MLS 1.0 " + Label
///     opaque context<V>;
/// } EncryptContext;
/// ```
fn encrypt_context(label: &[u8], context: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(LABEL_PREFIX.len() + label.len() + context.len() + 8);
    write_opaque(&mut out, &[LABEL_PREFIX, label].concat());
    write_opaque(&mut out, context);
    out
}

/// Runs `$f::<Aead, Kdf, Kem>($args)` with the `hpke` crate types of `$suite`'s HPKE
/// ciphersuite, or returns `Unsupported` for X448 (and for any KEM/AEAD pairing that no
/// RFC 9420 suite names).
macro_rules! with_hpke {
    ($suite:expr, $f:ident($($arg:expr),* $(,)?)) => {
        match ($suite.kem, $suite.aead) {
            (KemAlgorithm::X25519, AeadAlgorithm::Aes128Gcm) => {
                $f::<AesGcm128, HkdfSha256, X25519HkdfSha256>($($arg),*)
            }
            (KemAlgorithm::X25519, AeadAlgorithm::ChaCha20Poly1305) => {
                $f::<ChaCha20Poly1305, HkdfSha256, X25519HkdfSha256>($($arg),*)
            }
            (KemAlgorithm::P256, AeadAlgorithm::Aes128Gcm) => {
                $f::<AesGcm128, HkdfSha256, DhP256HkdfSha256>($($arg),*)
            }
            (KemAlgorithm::P384, AeadAlgorithm::Aes256Gcm) => {
                $f::<AesGcm256, HkdfSha384, DhP384HkdfSha384>($($arg),*)
            }
            (KemAlgorithm::P521, AeadAlgorithm::Aes256Gcm) => {
                $f::<AesGcm256, HkdfSha512, DhP521HkdfSha512>($($arg),*)
            }
            (KemAlgorithm::X448, _) => Err($suite.unsupported(NO_X448)),
            _ => Err($suite.unsupported("this KEM and AEAD pairing is not an RFC 9420 cipher suite")),
        }
    };
}

/// Runs `$f::<Kem>($args)` with the `hpke` crate type of `$suite`'s KEM, or returns
/// `Unsupported` for X448. For the operations that involve only the KEM.
macro_rules! with_kem {
    ($suite:expr, $f:ident($($arg:expr),* $(,)?)) => {
        match $suite.kem {
            KemAlgorithm::X25519 => $f::<X25519HkdfSha256>($($arg),*),
            KemAlgorithm::P256 => $f::<DhP256HkdfSha256>($($arg),*),
            KemAlgorithm::P384 => $f::<DhP384HkdfSha384>($($arg),*),
            KemAlgorithm::P521 => $f::<DhP521HkdfSha512>($($arg),*),
            KemAlgorithm::X448 => Err($suite.unsupported(NO_X448)),
        }
    };
}

impl CipherSuite {
    /// `DeriveKeyPair(ikm)` of the suite's KEM (RFC 9180 §7.1.3), as used for path
    /// secrets (§7.4: `node_priv, node_pub = KEM.DeriveKeyPair(node_secret)`).
    pub fn hpke_derive_key_pair(
        &self,
        ikm: &[u8],
    ) -> Result<(HpkePrivateKey, HpkePublicKey), Error> {
        with_kem!(self, derive_key_pair(ikm))
    }

    /// A fresh random key pair: `DeriveKeyPair` of `Nsk` random bytes.
    pub fn hpke_generate_key_pair(
        &self,
        rng: &mut dyn Random,
    ) -> Result<(HpkePrivateKey, HpkePublicKey), Error> {
        with_kem!(self, generate_key_pair(rng))
    }

    /// The public key of `private`.
    pub fn hpke_public_key(&self, private: &HpkePrivateKey) -> Result<HpkePublicKey, Error> {
        with_kem!(self, public_key(private.0.as_bytes()))
    }

    /// `EncryptWithLabel(PublicKey, Label, Context, Plaintext)` (§5.1.3): HPKE base-mode
    /// `SealBase` with `info = EncryptContext{"MLS 1.0 " + label, context}` and empty AAD.
    /// Returns `(kem_output, ciphertext)`.
    pub fn encrypt_with_label(
        &self,
        public: &[u8],
        label: &[u8],
        context: &[u8],
        plaintext: &[u8],
        rng: &mut dyn Random,
    ) -> Result<(Vec<u8>, Vec<u8>), Error> {
        let info = encrypt_context(label, context);
        with_hpke!(self, seal(public, &info, plaintext, rng))
    }

    /// `DecryptWithLabel(PrivateKey, Label, Context, KEMOutput, Ciphertext)` (§5.1.3):
    /// `OpenBase` with the same `info` and empty AAD. A malformed `kem_output` or a
    /// ciphertext that does not verify is [`CryptoError::HpkeOpen`].
    pub fn decrypt_with_label(
        &self,
        private: &HpkePrivateKey,
        label: &[u8],
        context: &[u8],
        kem_output: &[u8],
        ciphertext: &[u8],
    ) -> Result<Vec<u8>, Error> {
        let info = encrypt_context(label, context);
        with_hpke!(
            self,
            open(private.0.as_bytes(), kem_output, &info, ciphertext)
        )
    }

    /// Sender side of an HPKE export (§12.4.3.2: `SetupBaseS(external_pub, "")` then
    /// `Export(exporter_context, length)`). Returns `(kem_output, exported secret)`.
    pub fn hpke_export_sender(
        &self,
        public: &[u8],
        info: &[u8],
        exporter_context: &[u8],
        length: usize,
        rng: &mut dyn Random,
    ) -> Result<(Vec<u8>, Secret), Error> {
        with_hpke!(
            self,
            export_sender(public, info, exporter_context, length, rng)
        )
    }

    /// Receiver side of an HPKE export: `SetupBaseR(kem_output, private, info)` then
    /// `Export(exporter_context, length)`.
    pub fn hpke_export_receiver(
        &self,
        private: &HpkePrivateKey,
        kem_output: &[u8],
        info: &[u8],
        exporter_context: &[u8],
        length: usize,
    ) -> Result<Secret, Error> {
        with_hpke!(
            self,
            export_receiver(
                private.0.as_bytes(),
                kem_output,
                info,
                exporter_context,
                length
            )
        )
    }

    fn unsupported(&self, what: &'static str) -> Error {
        Unsupported::Primitive {
            suite: self.id(),
            what,
        }
        .into()
    }
}

// The steps below are written once against the `hpke` crate's traits; the `with_kem!`
// and `with_hpke!` dispatches pick the types. `A` is the AEAD, `F` the KDF, `K` the KEM.

/// The KEM's name in error messages.
fn kem_name<K: Kem>() -> &'static str {
    match K::KEM_ID {
        0x0010 => "DHKEM(P-256)",
        0x0011 => "DHKEM(P-384)",
        0x0012 => "DHKEM(P-521)",
        0x0020 => "DHKEM(X25519)",
        _ => "HPKE KEM",
    }
}

fn private_key<K: Kem>(bytes: &[u8]) -> Result<K::PrivateKey, Error> {
    let invalid = || CryptoError::InvalidPrivateKey(kem_name::<K>());
    // X25519 keys are little-endian strings, never shortened; P-curve scalars are
    // big-endian and may have lost leading zero bytes.
    let padded = match K::KEM_ID {
        0x0020 => Secret::from(bytes),
        _ => left_pad(bytes, K::PrivateKey::size()).ok_or_else(invalid)?,
    };
    K::PrivateKey::from_bytes(padded.as_bytes()).map_err(|_| invalid().into())
}

fn public_key_of<K: Kem>(bytes: &[u8]) -> Result<K::PublicKey, Error> {
    K::PublicKey::from_bytes(bytes)
        .map_err(|_| CryptoError::InvalidPublicKey(kem_name::<K>()).into())
}

fn key_pair<K: Kem>(
    private: K::PrivateKey,
    public: K::PublicKey,
) -> (HpkePrivateKey, HpkePublicKey) {
    let mut private_bytes = private.to_bytes();
    let pair = (
        HpkePrivateKey(Secret::from(&private_bytes[..])),
        HpkePublicKey(public.to_bytes().to_vec()),
    );
    zeroize::Zeroize::zeroize(&mut private_bytes[..]);
    pair
}

fn derive_key_pair<K: Kem>(ikm: &[u8]) -> Result<(HpkePrivateKey, HpkePublicKey), Error> {
    let (private, public) = K::derive_keypair(ikm);
    Ok(key_pair::<K>(private, public))
}

/// `DeriveKeyPair(random(Nsk))`, as the `hpke` crate's `gen_keypair_with_rng` does, with
/// the random bytes drawn here so that a failing source is an error.
fn generate_key_pair<K: Kem>(
    rng: &mut dyn Random,
) -> Result<(HpkePrivateKey, HpkePublicKey), Error> {
    let ikm = Secret::new(rng.bytes(K::PrivateKey::size())?);
    derive_key_pair::<K>(ikm.as_bytes())
}

fn public_key<K: Kem>(private: &[u8]) -> Result<HpkePublicKey, Error> {
    let public = K::sk_to_pk(&private_key::<K>(private)?);
    Ok(HpkePublicKey(public.to_bytes().to_vec()))
}

fn seal<A: hpke::aead::Aead, F: hpke::kdf::Kdf, K: Kem>(
    public: &[u8],
    info: &[u8],
    plaintext: &[u8],
    rng: &mut dyn Random,
) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let public = public_key_of::<K>(public)?;
    // Encapsulation draws the ephemeral key's `Nsk` bytes (RFC 9180 §4.1).
    let mut random = Prefetched::draw(rng, K::PrivateKey::size())?;
    let (kem_output, ciphertext) = hpke::single_shot_seal_with_rng::<A, F, K>(
        &OpModeS::Base,
        &public,
        info,
        plaintext,
        b"",
        &mut random,
    )
    .map_err(seal_error::<K>)?;
    random.finish()?;
    Ok((kem_output.to_bytes().to_vec(), ciphertext))
}

fn open<A: hpke::aead::Aead, F: hpke::kdf::Kdf, K: Kem>(
    private: &[u8],
    kem_output: &[u8],
    info: &[u8],
    ciphertext: &[u8],
) -> Result<Vec<u8>, Error> {
    let private = private_key::<K>(private)?;
    let kem_output = K::EncappedKey::from_bytes(kem_output).map_err(|_| CryptoError::HpkeOpen)?;
    hpke::single_shot_open::<A, F, K>(&OpModeR::Base, &private, &kem_output, info, ciphertext, b"")
        .map_err(|_| CryptoError::HpkeOpen.into())
}

fn export_sender<A: hpke::aead::Aead, F: hpke::kdf::Kdf, K: Kem>(
    public: &[u8],
    info: &[u8],
    exporter_context: &[u8],
    length: usize,
    rng: &mut dyn Random,
) -> Result<(Vec<u8>, Secret), Error> {
    let public = public_key_of::<K>(public)?;
    // Encapsulation draws the ephemeral key's `Nsk` bytes (RFC 9180 §4.1).
    let mut random = Prefetched::draw(rng, K::PrivateKey::size())?;
    let (kem_output, context) =
        hpke::setup_sender_with_rng::<A, F, K>(&OpModeS::Base, &public, info, &mut random)
            .map_err(seal_error::<K>)?;
    random.finish()?;
    let secret = export(|out| context.export(exporter_context, out), length)?;
    Ok((kem_output.to_bytes().to_vec(), secret))
}

fn export_receiver<A: hpke::aead::Aead, F: hpke::kdf::Kdf, K: Kem>(
    private: &[u8],
    kem_output: &[u8],
    info: &[u8],
    exporter_context: &[u8],
    length: usize,
) -> Result<Secret, Error> {
    let private = private_key::<K>(private)?;
    let kem_output = K::EncappedKey::from_bytes(kem_output).map_err(|_| CryptoError::HpkeOpen)?;
    let context = hpke::setup_receiver::<A, F, K>(&OpModeR::Base, &private, &kem_output, info)
        .map_err(|_| CryptoError::HpkeOpen)?;
    export(|out| context.export(exporter_context, out), length)
}

/// `length` bytes from an HPKE context's `Export`, held as a [`Secret`] from the start
/// so that they are zeroized on every path.
fn export(
    run: impl FnOnce(&mut [u8]) -> Result<(), HpkeError>,
    length: usize,
) -> Result<Secret, Error> {
    let mut out = vec![0u8; length];
    let result = run(&mut out);
    let secret = Secret::new(out);
    // The only failure is a length of 2^16 or more (RFC 9180 §5.3: L <= 255 * Nh).
    result.map_err(|_| CryptoError::InvalidLength(length))?;
    Ok(secret)
}

/// Encapsulation fails only when the recipient's key gives an all-zero shared secret
/// (RFC 9180 §7.1.4: an X25519 key of small order), which makes it an invalid key.
fn seal_error<K: Kem>(e: HpkeError) -> Error {
    match e {
        HpkeError::EncapError | HpkeError::ValidationError => {
            CryptoError::InvalidPublicKey(kem_name::<K>()).into()
        }
        _ => CryptoError::HpkeSeal.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SeededRandom;

    /// The suites whose KEM the `hpke` crate provides.
    const HPKE_SUITES: [u16; 5] = [1, 2, 3, 5, 7];

    fn suite(id: u16) -> CipherSuite {
        CipherSuite::new(id).unwrap()
    }

    fn key_pair(suite: CipherSuite) -> (HpkePrivateKey, HpkePublicKey) {
        suite
            .hpke_generate_key_pair(&mut SeededRandom::new(u64::from(suite.id())))
            .unwrap()
    }

    #[test]
    fn encrypt_context_prefixes_the_label() {
        assert_eq!(
            encrypt_context(b"L", b"ab"),
            b"\x09MLS 1.0 L\x02ab".to_vec()
        );
    }

    #[test]
    fn encrypt_with_label_round_trips_for_every_hpke_suite() {
        for id in HPKE_SUITES {
            let suite = suite(id);
            let (private, public) = key_pair(suite);
            let mut rng = SeededRandom::new(7);
            let (kem_output, ciphertext) = suite
                .encrypt_with_label(&public.0, b"Label", b"context", b"secret", &mut rng)
                .unwrap();
            assert_eq!(ciphertext.len(), b"secret".len() + 16, "suite {id}");
            let plaintext = suite
                .decrypt_with_label(&private, b"Label", b"context", &kem_output, &ciphertext)
                .unwrap();
            assert_eq!(plaintext, b"secret", "suite {id}");
        }
    }

    #[test]
    fn a_wrong_label_context_or_flipped_ciphertext_is_rejected() {
        for id in HPKE_SUITES {
            let suite = suite(id);
            let (private, public) = key_pair(suite);
            let (kem_output, ciphertext) = suite
                .encrypt_with_label(&public.0, b"L", b"c", b"p", &mut SeededRandom::new(1))
                .unwrap();
            let bad = Err(CryptoError::HpkeOpen.into());
            assert_eq!(
                suite.decrypt_with_label(&private, b"X", b"c", &kem_output, &ciphertext),
                bad
            );
            assert_eq!(
                suite.decrypt_with_label(&private, b"L", b"x", &kem_output, &ciphertext),
                bad
            );
            let mut flipped = ciphertext.clone();
            flipped[0] ^= 0x80;
            assert_eq!(
                suite.decrypt_with_label(&private, b"L", b"c", &kem_output, &flipped),
                bad
            );
        }
    }

    #[test]
    fn malformed_kem_outputs_and_keys_are_rejected_without_panicking() {
        for id in HPKE_SUITES {
            let suite = suite(id);
            let (private, public) = key_pair(suite);
            let (kem_output, ciphertext) = suite
                .encrypt_with_label(&public.0, b"L", b"c", b"p", &mut SeededRandom::new(1))
                .unwrap();
            for bad_output in [
                vec![],
                kem_output[1..].to_vec(),
                vec![0xff; kem_output.len()],
            ] {
                assert!(
                    suite
                        .decrypt_with_label(&private, b"L", b"c", &bad_output, &ciphertext)
                        .is_err(),
                    "suite {id}"
                );
            }
            let mut bad_publics = vec![vec![], vec![0x04], public.0[1..].to_vec()];
            if suite.kem != KemAlgorithm::X25519 {
                // Not a point of the curve (every 32-byte string is an X25519 key).
                bad_publics.push(vec![0xff; public.0.len()]);
            }
            for bad_public in bad_publics {
                assert!(
                    matches!(
                        suite.encrypt_with_label(
                            &bad_public,
                            b"L",
                            b"c",
                            b"p",
                            &mut SeededRandom::new(1)
                        ),
                        Err(Error::Crypto(CryptoError::InvalidPublicKey(_)))
                    ),
                    "suite {id}"
                );
            }
            let too_long = HpkePrivateKey(Secret::new(vec![1; 67]));
            assert!(matches!(
                suite.decrypt_with_label(&too_long, b"L", b"c", &kem_output, &ciphertext),
                Err(Error::Crypto(CryptoError::InvalidPrivateKey(_)))
            ));
            assert!(matches!(
                suite.hpke_public_key(&too_long),
                Err(Error::Crypto(CryptoError::InvalidPrivateKey(_)))
            ));
        }
    }

    #[test]
    fn a_small_order_x25519_public_key_is_rejected() {
        // The all-zero point gives an all-zero shared secret (RFC 9180 §7.1.4).
        let result =
            suite(1).encrypt_with_label(&[0; 32], b"L", b"c", b"p", &mut SeededRandom::new(1));
        assert_eq!(
            result,
            Err(CryptoError::InvalidPublicKey("DHKEM(X25519)").into())
        );
    }

    #[test]
    fn derive_key_pair_is_deterministic_and_matches_the_public_key() {
        for id in HPKE_SUITES {
            let suite = suite(id);
            let (private, public) = suite
                .hpke_derive_key_pair(b"input keying material")
                .unwrap();
            let (private2, public2) = suite
                .hpke_derive_key_pair(b"input keying material")
                .unwrap();
            assert_eq!(private.0.as_bytes(), private2.0.as_bytes());
            assert_eq!(public, public2);
            assert_eq!(
                suite.hpke_public_key(&private).unwrap(),
                public,
                "suite {id}"
            );
            let (_, other) = suite
                .hpke_derive_key_pair(b"other keying material")
                .unwrap();
            assert_ne!(public, other);
        }
    }

    #[test]
    fn derive_key_pair_matches_rfc_9180_a_1_1() {
        // RFC 9180 Appendix A.1.1, DHKEM(X25519, HKDF-SHA256): ikmR -> skRm, pkRm. The
        // appendix prints skRm = 4612c5...8ac8 unclamped; §7.1.2 says SerializePrivateKey
        // MUST clamp its output, which gives 4012c5...8a48 (same scalar, same pkRm).
        let ikm = ::hex::decode("6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037")
            .unwrap();
        let (private, public) = suite(1).hpke_derive_key_pair(&ikm).unwrap();
        assert_eq!(
            ::hex::encode(private.0.as_bytes()),
            "4012c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8a48"
        );
        assert_eq!(
            ::hex::encode(&public.0),
            "3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d"
        );
    }

    #[test]
    fn a_p521_private_key_without_its_leading_zero_byte_is_accepted() {
        let suite = suite(5);
        let (private, public) = (0u64..)
            .map(|seed| {
                suite
                    .hpke_generate_key_pair(&mut SeededRandom::new(seed))
                    .unwrap()
            })
            .find(|(private, _)| private.0.as_bytes()[0] == 0)
            .unwrap();
        assert_eq!(private.0.len(), 66);
        let short = HpkePrivateKey(Secret::new(private.0.as_bytes()[1..].to_vec()));
        assert_eq!(suite.hpke_public_key(&short).unwrap(), public);
        let (kem_output, ciphertext) = suite
            .encrypt_with_label(&public.0, b"L", b"c", b"p", &mut SeededRandom::new(3))
            .unwrap();
        assert_eq!(
            suite.decrypt_with_label(&short, b"L", b"c", &kem_output, &ciphertext),
            Ok(b"p".to_vec())
        );
    }

    #[test]
    fn a_short_x25519_private_key_is_rejected() {
        let short = HpkePrivateKey(Secret::new(vec![1; 31]));
        assert_eq!(
            suite(1).hpke_public_key(&short),
            Err(CryptoError::InvalidPrivateKey("DHKEM(X25519)").into())
        );
    }

    #[test]
    fn sender_and_receiver_export_the_same_secret() {
        for id in HPKE_SUITES {
            let suite = suite(id);
            let (private, public) = key_pair(suite);
            let (kem_output, sent) = suite
                .hpke_export_sender(
                    &public.0,
                    b"",
                    b"MLS 1.0 external init secret",
                    32,
                    &mut SeededRandom::new(5),
                )
                .unwrap();
            let received = suite
                .hpke_export_receiver(
                    &private,
                    &kem_output,
                    b"",
                    b"MLS 1.0 external init secret",
                    32,
                )
                .unwrap();
            assert_eq!(sent.len(), 32);
            assert!(received.ct_eq(sent.as_bytes()), "suite {id}");
        }
    }

    #[test]
    fn an_export_of_2_to_the_16_bytes_is_refused() {
        let suite = suite(1);
        let (_, public) = key_pair(suite);
        assert_eq!(
            suite
                .hpke_export_sender(&public.0, b"", b"", 1 << 16, &mut SeededRandom::new(5))
                .map(|_| ()),
            Err(CryptoError::InvalidLength(1 << 16).into())
        );
    }

    #[test]
    fn every_hpke_operation_of_the_x448_suites_is_unsupported() {
        for id in [4, 6] {
            let suite = suite(id);
            let unsupported = |e: Error| {
                assert!(
                    matches!(&e, Error::Unsupported(Unsupported::Primitive { suite: s, what }) if *s == id && what.contains("X448")),
                    "{e}"
                )
            };
            let private = HpkePrivateKey(Secret::new(vec![1; 56]));
            let mut rng = SeededRandom::new(1);
            unsupported(suite.hpke_derive_key_pair(b"ikm").unwrap_err());
            unsupported(suite.hpke_generate_key_pair(&mut rng).unwrap_err());
            unsupported(suite.hpke_public_key(&private).unwrap_err());
            unsupported(
                suite
                    .encrypt_with_label(&[9; 56], b"L", b"c", b"p", &mut rng)
                    .unwrap_err(),
            );
            unsupported(
                suite
                    .decrypt_with_label(&private, b"L", b"c", &[9; 56], &[0; 17])
                    .unwrap_err(),
            );
            unsupported(
                suite
                    .hpke_export_sender(&[9; 56], b"", b"", 32, &mut rng)
                    .unwrap_err(),
            );
            unsupported(
                suite
                    .hpke_export_receiver(&private, &[9; 56], b"", b"", 32)
                    .unwrap_err(),
            );
        }
    }

    /// Key and encapsulation lengths of the four KEMs, their neighbours, and 0.
    const INTERESTING_LENGTHS: [usize; 11] = [0, 31, 32, 33, 48, 49, 65, 66, 97, 133, 134];

    proptest::proptest! {
        #[test]
        fn arbitrary_keys_and_ciphertexts_never_panic(
            id in 1u16..=7,
            key_len in proptest::sample::select(INTERESTING_LENGTHS.to_vec()),
            mut key in proptest::collection::vec(proptest::num::u8::ANY, 140),
            kem_output_len in proptest::sample::select(INTERESTING_LENGTHS.to_vec()),
            mut kem_output in proptest::collection::vec(proptest::num::u8::ANY, 140),
            ciphertext in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
        ) {
            key.truncate(key_len);
            kem_output.truncate(kem_output_len);
            let suite = CipherSuite::new(id).unwrap();
            let mut rng = SeededRandom::new(0);
            let _ = suite.encrypt_with_label(&key, b"L", b"c", b"p", &mut rng);
            let private = HpkePrivateKey(Secret::new(key));
            let _ = suite.hpke_public_key(&private);
            let _ = suite.decrypt_with_label(&private, b"L", b"c", &kem_output, &ciphertext);
            let _ = suite.hpke_export_receiver(&private, &kem_output, b"", b"", 32);
        }
    }
}
