//! The key schedule of RFC 9420 §8: from the previous epoch's `init_secret`, the
//! `commit_secret`, the `psk_secret` and the new GroupContext, the secrets of an epoch.
//!
//! ```text
//!                     init_secret_[n-1]
//!                           |
//!     commit_secret --> KDF.Extract
//!                           |
//!                   ExpandWithLabel(., "joiner", GroupContext_[n], KDF.Nh)
//!                           |
//!                      joiner_secret
//!                           |
//! psk_secret (or 0) --> KDF.Extract
//!                           |
//!                           +--> DeriveSecret(., "welcome") = welcome_secret
//!                           |
//!                   ExpandWithLabel(., "epoch", GroupContext_[n], KDF.Nh)
//!                           |
//!                      epoch_secret
//!                           |
//!                           +--> DeriveSecret(., <label>) = <secret>
//!                           |
//!                     DeriveSecret(., "init") = init_secret_[n]
//! ```
//!
//! `KDF.Extract` takes its salt from above and its input keying material from the left.
//! An epoch's secrets are an [`EpochSecrets`] value; the `epoch_secret` itself and the
//! intermediate values are dropped (and zeroized) as soon as everything is derived from
//! them (§9.2).

use crate::crypto::{CipherSuite, HpkePrivateKey, HpkePublicKey, Random, Secret};
use crate::error::Error;

/// `joiner_secret = ExpandWithLabel(Extract(init_secret, commit_secret), "joiner",
/// GroupContext, KDF.Nh)` (§8), with `group_context` the encoded GroupContext of the new
/// epoch.
pub fn joiner_secret(
    suite: &CipherSuite,
    init_secret: &Secret,
    commit_secret: &Secret,
    group_context: &[u8],
) -> Result<Secret, Error> {
    let extracted = suite.extract(init_secret.as_bytes(), commit_secret.as_bytes());
    suite.expand_with_label(
        extracted.as_bytes(),
        b"joiner",
        group_context,
        suite.hash_len(),
    )
}

/// The value between `joiner_secret` and the epoch secret: `Extract(joiner_secret,
/// psk_secret)` (§8).
fn member_secret(suite: &CipherSuite, joiner_secret: &Secret, psk_secret: &Secret) -> Secret {
    suite.extract(joiner_secret.as_bytes(), psk_secret.as_bytes())
}

/// `welcome_secret = DeriveSecret(Extract(joiner_secret, psk_secret), "welcome")` (§8).
/// A new member needs it before it knows the GroupContext, to decrypt the GroupInfo.
pub fn welcome_secret(
    suite: &CipherSuite,
    joiner_secret: &Secret,
    psk_secret: &Secret,
) -> Result<Secret, Error> {
    let member = member_secret(suite, joiner_secret, psk_secret);
    suite.derive_secret(member.as_bytes(), b"welcome")
}

/// The AEAD key and nonce that encrypt a Welcome's GroupInfo (§12.4.3.1).
#[derive(Debug, Clone)]
pub struct WelcomeKey {
    /// `welcome_key = ExpandWithLabel(welcome_secret, "key", "", AEAD.Nk)`.
    pub key: Secret,
    /// `welcome_nonce = ExpandWithLabel(welcome_secret, "nonce", "", AEAD.Nn)`.
    pub nonce: Secret,
}

/// `welcome_key` and `welcome_nonce` from a `welcome_secret` (§12.4.3.1).
pub fn welcome_key(suite: &CipherSuite, welcome_secret: &Secret) -> Result<WelcomeKey, Error> {
    let s = welcome_secret.as_bytes();
    Ok(WelcomeKey {
        key: suite.expand_with_label(s, b"key", b"", suite.aead_key_len())?,
        nonce: suite.expand_with_label(s, b"nonce", b"", suite.aead_nonce_len())?,
    })
}

/// The label that `init_secret` is exported under in an external join (§8.3).
const EXTERNAL_INIT_LABEL: &[u8] = b"MLS 1.0 external init secret";

/// The joiner's side of external initialization (§8.3):
///
/// ```text
/// kem_output, context = SetupBaseS(external_pub, "")
/// init_secret = context.export("MLS 1.0 external init secret", KDF.Nh)
/// ```
///
/// Returns the `kem_output` for the ExternalInit proposal and the `init_secret`.
pub fn external_init_sender(
    suite: &CipherSuite,
    external_pub: &HpkePublicKey,
    rng: &mut dyn Random,
) -> Result<(Vec<u8>, Secret), Error> {
    suite.hpke_export_sender(
        &external_pub.0,
        b"",
        EXTERNAL_INIT_LABEL,
        suite.hash_len(),
        rng,
    )
}

/// The members' side of external initialization (§8.3):
///
/// ```text
/// context = SetupBaseR(kem_output, external_priv, "")
/// init_secret = context.export("MLS 1.0 external init secret", KDF.Nh)
/// ```
pub fn external_init_receiver(
    suite: &CipherSuite,
    external_priv: &HpkePrivateKey,
    kem_output: &[u8],
) -> Result<Secret, Error> {
    suite.hpke_export_receiver(
        external_priv,
        kem_output,
        b"",
        EXTERNAL_INIT_LABEL,
        suite.hash_len(),
    )
}

/// The secrets of one epoch (§8): the `joiner_secret` and `welcome_secret` that a
/// committer puts in its Welcome, and the secrets derived from the epoch secret (the
/// table "Epoch-Derived Secrets" of §8). All are `KDF.Nh` bytes, zeroized on drop, and
/// shown by `Debug` only as their lengths.
///
/// Fields are public so that the group state can move each secret to where it is used
/// (the `encryption_secret` into a [`crate::secret_tree::SecretTree`], for instance) and
/// drop the ones it no longer needs.
#[derive(Debug, Clone)]
pub struct EpochSecrets {
    /// `joiner_secret`: sent to new members in GroupSecrets.
    pub joiner_secret: Secret,
    /// `welcome_secret`: source of the key and nonce of a Welcome's GroupInfo.
    pub welcome_secret: Secret,
    /// `"sender data"`: keys that encrypt PrivateMessage sender data (§6.3.2).
    pub sender_data_secret: Secret,
    /// `"encryption"`: root of the secret tree (§9).
    pub encryption_secret: Secret,
    /// `"exporter"`: source of exported secrets (§8.5).
    pub exporter_secret: Secret,
    /// `"external"`: seed of the external key pair (§8).
    pub external_secret: Secret,
    /// `"confirm"`: key of the confirmation tag MAC (§8.2).
    pub confirmation_key: Secret,
    /// `"membership"`: key of the PublicMessage membership tag MAC (§6.2).
    pub membership_key: Secret,
    /// `"resumption"`: this epoch's resumption PSK (§8.6).
    pub resumption_psk: Secret,
    /// `"authentication"`: the epoch authenticator (§8.7).
    pub epoch_authenticator: Secret,
    /// `"init"`: the `init_secret` the next epoch starts from.
    pub init_secret: Secret,
}

impl EpochSecrets {
    /// The secrets of a new epoch as a member computes them (§8): from the previous
    /// epoch's `init_secret`, the Commit's `commit_secret` (`KDF.Nh` zero bytes when
    /// the Commit has no path), the `psk_secret` (zeros when there are no PSKs; see
    /// [`crate::psk::psk_secret`]) and the encoded GroupContext of the new epoch.
    pub fn derive(
        suite: &CipherSuite,
        init_secret: &Secret,
        commit_secret: &Secret,
        psk_secret: &Secret,
        group_context: &[u8],
    ) -> Result<Self, Error> {
        let joiner = joiner_secret(suite, init_secret, commit_secret, group_context)?;
        Self::from_joiner_secret(suite, joiner, psk_secret, group_context)
    }

    /// The secrets of an epoch as a new member computes them from the `joiner_secret`
    /// of its Welcome (§8, §12.4.3.1).
    pub fn from_joiner_secret(
        suite: &CipherSuite,
        joiner_secret: Secret,
        psk_secret: &Secret,
        group_context: &[u8],
    ) -> Result<Self, Error> {
        let member = member_secret(suite, &joiner_secret, psk_secret);
        let welcome_secret = suite.derive_secret(member.as_bytes(), b"welcome")?;
        let epoch_secret = suite.expand_with_label(
            member.as_bytes(),
            b"epoch",
            group_context,
            suite.hash_len(),
        )?;
        drop(member);
        let derive = |label: &[u8]| suite.derive_secret(epoch_secret.as_bytes(), label);
        Ok(EpochSecrets {
            joiner_secret,
            welcome_secret,
            sender_data_secret: derive(b"sender data")?,
            encryption_secret: derive(b"encryption")?,
            exporter_secret: derive(b"exporter")?,
            external_secret: derive(b"external")?,
            confirmation_key: derive(b"confirm")?,
            membership_key: derive(b"membership")?,
            resumption_psk: derive(b"resumption")?,
            epoch_authenticator: derive(b"authentication")?,
            init_secret: derive(b"init")?,
        })
    }

    /// `external_priv, external_pub = KEM.DeriveKeyPair(external_secret)` (§8): the key
    /// pair of external joins, published in the GroupInfo's `external_pub` extension.
    pub fn external_key_pair(
        &self,
        suite: &CipherSuite,
    ) -> Result<(HpkePrivateKey, HpkePublicKey), Error> {
        suite.hpke_derive_key_pair(self.external_secret.as_bytes())
    }

    /// The `welcome_key` and `welcome_nonce` of this epoch's Welcome (§12.4.3.1).
    pub fn welcome_key(&self, suite: &CipherSuite) -> Result<WelcomeKey, Error> {
        welcome_key(suite, &self.welcome_secret)
    }

    /// `MLS-Exporter(Label, Context, Length)` (§8.5):
    ///
    /// ```text
    /// ExpandWithLabel(DeriveSecret(exporter_secret, Label), "exported", Hash(Context), Length)
    /// ```
    ///
    /// Fails if `length` exceeds what HKDF can produce (255 × `KDF.Nh`).
    pub fn export(
        &self,
        suite: &CipherSuite,
        label: &[u8],
        context: &[u8],
        length: usize,
    ) -> Result<Secret, Error> {
        export(suite, &self.exporter_secret, label, context, length)
    }
}

/// `MLS-Exporter` over a given `exporter_secret` (§8.5); see [`EpochSecrets::export`].
pub fn export(
    suite: &CipherSuite,
    exporter_secret: &Secret,
    label: &[u8],
    context: &[u8],
    length: usize,
) -> Result<Secret, Error> {
    let derived = suite.derive_secret(exporter_secret.as_bytes(), label)?;
    suite.expand_with_label(
        derived.as_bytes(),
        b"exported",
        &suite.hash(context),
        length,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suite() -> CipherSuite {
        CipherSuite::new(1).unwrap()
    }

    fn secrets() -> EpochSecrets {
        let s = suite();
        let init = Secret::new(vec![1; 32]);
        let commit = Secret::new(vec![2; 32]);
        let psk = Secret::zero(32);
        EpochSecrets::derive(&s, &init, &commit, &psk, b"group context").unwrap()
    }

    fn all(e: &EpochSecrets) -> [(&'static str, &Secret); 11] {
        [
            ("joiner", &e.joiner_secret),
            ("welcome", &e.welcome_secret),
            ("sender data", &e.sender_data_secret),
            ("encryption", &e.encryption_secret),
            ("exporter", &e.exporter_secret),
            ("external", &e.external_secret),
            ("confirm", &e.confirmation_key),
            ("membership", &e.membership_key),
            ("resumption", &e.resumption_psk),
            ("authentication", &e.epoch_authenticator),
            ("init", &e.init_secret),
        ]
    }

    #[test]
    fn every_epoch_secret_differs_from_every_other() {
        let e = secrets();
        let list = all(&e);
        for (i, (a, x)) in list.iter().enumerate() {
            assert_eq!(x.len(), 32, "{a}");
            for (b, y) in &list[i + 1..] {
                assert_ne!(x.as_bytes(), y.as_bytes(), "{a} and {b}");
            }
        }
    }

    #[test]
    fn the_epoch_secrets_depend_on_the_group_context() {
        let s = suite();
        let (init, commit, psk) = (Secret::zero(32), Secret::zero(32), Secret::zero(32));
        let a = EpochSecrets::derive(&s, &init, &commit, &psk, b"a").unwrap();
        let b = EpochSecrets::derive(&s, &init, &commit, &psk, b"b").unwrap();
        for ((name, x), (_, y)) in all(&a).iter().zip(all(&b).iter()) {
            assert_ne!(x.as_bytes(), y.as_bytes(), "{name}");
        }
    }

    #[test]
    fn a_joiner_derives_the_same_secrets_as_a_member() {
        let s = suite();
        let member = secrets();
        let joiner = EpochSecrets::from_joiner_secret(
            &s,
            member.joiner_secret.clone(),
            &Secret::zero(32),
            b"group context",
        )
        .unwrap();
        for ((name, x), (_, y)) in all(&member).iter().zip(all(&joiner).iter()) {
            assert_eq!(x.as_bytes(), y.as_bytes(), "{name}");
        }
        let w = welcome_secret(&s, &member.joiner_secret, &Secret::zero(32)).unwrap();
        assert_eq!(w.as_bytes(), member.welcome_secret.as_bytes());
    }

    #[test]
    fn the_psk_secret_changes_the_welcome_and_epoch_secrets_but_not_the_joiner_secret() {
        let s = suite();
        let a = secrets();
        let b = EpochSecrets::derive(
            &s,
            &Secret::new(vec![1; 32]),
            &Secret::new(vec![2; 32]),
            &Secret::new(vec![9; 32]),
            b"group context",
        )
        .unwrap();
        assert_eq!(a.joiner_secret.as_bytes(), b.joiner_secret.as_bytes());
        assert_ne!(a.welcome_secret.as_bytes(), b.welcome_secret.as_bytes());
        assert_ne!(a.init_secret.as_bytes(), b.init_secret.as_bytes());
    }

    #[test]
    fn exports_differ_per_label_and_context_and_have_the_asked_length() {
        let s = suite();
        let e = secrets();
        let x = e.export(&s, b"label", b"ctx", 17).unwrap();
        assert_eq!(x.len(), 17);
        assert_ne!(
            x.as_bytes(),
            e.export(&s, b"label2", b"ctx", 17).unwrap().as_bytes()
        );
        assert_ne!(
            x.as_bytes(),
            e.export(&s, b"label", b"ctx2", 17).unwrap().as_bytes()
        );
        assert!(e.export(&s, b"label", b"", 255 * 32 + 1).is_err());
    }

    #[test]
    fn the_welcome_key_and_nonce_have_the_aead_lengths() {
        let e = secrets();
        let k = e.welcome_key(&suite()).unwrap();
        assert_eq!((k.key.len(), k.nonce.len()), (16, 12));
    }

    #[test]
    fn debug_output_shows_only_lengths() {
        let shown = format!("{:?}", secrets());
        assert!(shown.contains("Secret(32 bytes)"));
        assert!(!shown.contains("[") && !shown.contains(", 1"));
    }
}
