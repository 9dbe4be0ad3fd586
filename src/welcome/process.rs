//! The new member's side of a Welcome (RFC 9420 §12.4.3.1): decrypt, then verify.

use super::WelcomeViolation;
use crate::codec::Codec;
use crate::crypto::{CipherSuite, HpkePrivateKey, Secret, SignaturePublicKey};
use crate::error::Result;
use crate::key_schedule::{EpochSecrets, welcome_key, welcome_secret};
use crate::messages::{
    GroupInfo, GroupSecrets, KeyPackage, PreSharedKeyId, PskSource, ResumptionPskUsage, Welcome,
};
use crate::psk::psk_secret_of;
use crate::transcript_hash::verify_confirmation_tag;

/// The label of the HPKE encryption of `GroupSecrets` (§12.4.3.1).
pub(super) const WELCOME_LABEL: &[u8] = b"Welcome";

/// The label of the GroupInfo signature (§12.4.3).
pub(super) const GROUP_INFO_LABEL: &[u8] = b"GroupInfoTBS";

/// A Welcome whose secrets and GroupInfo we could decrypt, but whose GroupInfo is not
/// yet authenticated: use [`UnverifiedWelcome::group_info`] only to find the signer's
/// key (in the ratchet tree), then call [`UnverifiedWelcome::verify`].
#[derive(Debug)]
pub struct UnverifiedWelcome {
    suite: CipherSuite,
    group_info: GroupInfo,
    group_secrets: GroupSecrets,
    psk_secret: Secret,
}

/// A Welcome that is decrypted and authenticated: its GroupInfo's signature and
/// confirmation tag verify (§12.4.3.1).
#[derive(Debug)]
pub struct VerifiedWelcome {
    /// The GroupInfo, with the new epoch's GroupContext.
    pub group_info: GroupInfo,
    /// Our GroupSecrets: the `joiner_secret`, the path secret of our lowest common
    /// ancestor with the committer (if the Commit had a path), and the PSKs.
    pub group_secrets: GroupSecrets,
    /// The secrets of the epoch we join.
    pub epoch_secrets: EpochSecrets,
}

/// Decrypts the part of `welcome` that is for `key_package`, whose init private key is
/// `init_private` (§12.4.3.1):
///
/// ```text
/// group_secrets =
///   DecryptWithLabel(init_key_priv, "Welcome",
///                    encrypted_group_info, kem_output, ciphertext)
///
/// welcome_nonce = ExpandWithLabel(welcome_secret, "nonce", "", AEAD.Nn)
/// welcome_key = ExpandWithLabel(welcome_secret, "key", "", AEAD.Nk)
/// ```
///
/// `psks` gives the value of each PSK that the GroupSecrets name (an external PSK, or
/// the `resumption_psk` of the group and epoch named), or `None` if the client does not
/// have it.
///
/// Fails with a [`WelcomeViolation`] when the Welcome is for another KeyPackage or
/// cipher suite or names a PSK we lack, with [`crate::error::CryptoError::HpkeOpen`] or
/// [`crate::error::CryptoError::AeadOpen`] when a ciphertext does not decrypt, and with
/// a decode error when a plaintext is not a valid `GroupSecrets` or `GroupInfo`.
pub fn decrypt(
    welcome: &Welcome,
    key_package: &KeyPackage,
    init_private: &HpkePrivateKey,
    psks: &dyn Fn(&PreSharedKeyId) -> Option<Secret>,
) -> Result<UnverifiedWelcome> {
    let suite = CipherSuite::new(key_package.cipher_suite.0)?;
    if welcome.cipher_suite != key_package.cipher_suite {
        return Err(WelcomeViolation::WelcomeCipherSuiteMismatch {
            welcome: welcome.cipher_suite,
            key_package: key_package.cipher_suite,
        }
        .into());
    }
    let ours = welcome.secrets_for(&key_package.reference(&suite)).ok_or(
        WelcomeViolation::NotForOurKeyPackage {
            entries: welcome.secrets.len(),
        },
    )?;

    let encrypted = &ours.encrypted_group_secrets;
    let plaintext = Secret::new(suite.decrypt_with_label(
        init_private,
        WELCOME_LABEL,
        &welcome.encrypted_group_info,
        &encrypted.kem_output,
        &encrypted.ciphertext,
    )?);
    let group_secrets = GroupSecrets::from_bytes(plaintext.as_bytes())?;

    let psk_secret = group_psk_secret(&suite, &group_secrets.psks, psks)?;
    let welcome_secret = welcome_secret(&suite, &group_secrets.joiner_secret, &psk_secret)?;
    let key = welcome_key(&suite, &welcome_secret)?;
    let group_info = GroupInfo::from_bytes(&suite.aead_open(
        key.key.as_bytes(),
        key.nonce.as_bytes(),
        b"",
        &welcome.encrypted_group_info,
    )?)?;

    let context = &group_info.group_context;
    if context.cipher_suite != key_package.cipher_suite {
        return Err(WelcomeViolation::GroupInfoCipherSuiteMismatch {
            group_info: context.cipher_suite,
            key_package: key_package.cipher_suite,
        }
        .into());
    }
    if context.version != key_package.version {
        return Err(WelcomeViolation::VersionMismatch {
            group_info: context.version,
            key_package: key_package.version,
        }
        .into());
    }
    Ok(UnverifiedWelcome {
        suite,
        group_info,
        group_secrets,
        psk_secret,
    })
}

/// True for a resumption PSK of usage `reinit` or `branch`.
fn is_reinit_or_branch(id: &PreSharedKeyId) -> bool {
    matches!(
        id.psk,
        PskSource::Resumption { usage, .. }
            if usage == ResumptionPskUsage::REINIT || usage == ResumptionPskUsage::BRANCH
    )
}

/// The `psk_secret` of the PSKs a GroupSecrets names (§8.4), after the checks of
/// §12.4.3.1: every PSK is available, at most one is a reinit or branch PSK, and every
/// nonce is `KDF.Nh` bytes.
fn group_psk_secret(
    suite: &CipherSuite,
    ids: &[PreSharedKeyId],
    lookup: &dyn Fn(&PreSharedKeyId) -> Option<Secret>,
) -> Result<Secret> {
    let count = ids.iter().filter(|id| is_reinit_or_branch(id)).count();
    if count > 1 {
        return Err(WelcomeViolation::SeveralReinitOrBranchPsks { count }.into());
    }
    psk_secret_of(suite, ids, |index, id| {
        if id.psk_nonce.len() != suite.hash_len() {
            return Err(WelcomeViolation::PskNonceLength {
                index,
                length: id.psk_nonce.len(),
                expected: suite.hash_len(),
            }
            .into());
        }
        lookup(id).ok_or_else(|| {
            WelcomeViolation::UnknownPsk {
                index,
                psk: id.psk.clone(),
            }
            .into()
        })
    })
}

impl UnverifiedWelcome {
    /// The decrypted GroupInfo. **Not authenticated yet**: read it only to find the
    /// signer's key (its ratchet tree and `signer` index).
    pub fn group_info(&self) -> &GroupInfo {
        &self.group_info
    }

    /// The cipher suite of the group (the KeyPackage's, which the Welcome and the
    /// GroupInfo match).
    pub fn suite(&self) -> CipherSuite {
        self.suite
    }

    /// Authenticates the GroupInfo and derives the epoch's secrets (§12.4.3.1):
    ///
    /// - "Verify the signature on the GroupInfo object ... The public key is taken from
    ///   the LeafNode of the ratchet tree with leaf index `signer`": the caller looks
    ///   it up and passes it as `signer_key`;
    /// - "Use the `joiner_secret` from the GroupSecrets object to generate the epoch
    ///   secret and other derived secrets for the current epoch";
    /// - "Verify the confirmation tag in the GroupInfo using the derived confirmation
    ///   key and the `confirmed_transcript_hash` from the GroupInfo";
    /// - a reinit or branch PSK requires epoch 1.
    ///
    /// Fails with [`crate::error::CryptoError::InvalidSignature`] or
    /// [`crate::error::CryptoError::InvalidMac`] when the signature or the tag does not
    /// verify.
    pub fn verify(self, signer_key: &SignaturePublicKey) -> Result<VerifiedWelcome> {
        let suite = self.suite;
        let info = &self.group_info;
        suite.verify_with_label(
            &signer_key.0,
            GROUP_INFO_LABEL,
            &info.to_be_signed(),
            &info.signature,
        )?;

        let epoch_secrets = EpochSecrets::from_joiner_secret(
            &suite,
            self.group_secrets.joiner_secret.clone(),
            &self.psk_secret,
            &info.group_context.to_bytes(),
        )?;
        verify_confirmation_tag(
            &suite,
            epoch_secrets.confirmation_key.as_bytes(),
            &info.group_context.confirmed_transcript_hash,
            &info.confirmation_tag,
        )?;

        let epoch = info.group_context.epoch;
        if epoch != 1 && self.group_secrets.psks.iter().any(is_reinit_or_branch) {
            return Err(WelcomeViolation::ReinitOrBranchNotEpochOne { epoch }.into());
        }
        Ok(VerifiedWelcome {
            group_info: self.group_info,
            group_secrets: self.group_secrets,
            epoch_secrets,
        })
    }
}
