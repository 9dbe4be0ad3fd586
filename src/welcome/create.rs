//! The committer's side of a Welcome (RFC 9420 §12.4.3, §12.4.3.1, §12.4.2).

use super::process::{GROUP_INFO_LABEL, WELCOME_LABEL};
use crate::codec::Codec;
use crate::crypto::{CipherSuite, Random, Secret, SignaturePrivateKey};
use crate::error::{Error, Result};
use crate::key_schedule::EpochSecrets;
use crate::messages::{
    CipherSuiteId, EncryptedGroupSecrets, GroupInfo, GroupSecrets, HpkeCiphertext, KeyPackage,
    PathSecret, PreSharedKeyId, Welcome,
};

/// One member that a Welcome adds, and what it receives beyond the `joiner_secret`.
#[derive(Debug, Clone, Copy)]
pub struct NewMember<'a> {
    /// The member's KeyPackage, from its Add proposal.
    pub key_package: &'a KeyPackage,
    /// The path secret of the lowest common ancestor of the member's leaf and the
    /// committer's, when the Commit has a path.
    pub path_secret: Option<&'a Secret>,
}

/// Sets `group_info.signature` to `SignWithLabel(., "GroupInfoTBS", GroupInfoTBS)`
/// (§12.4.3) with the committer's signature key.
pub fn sign_group_info(
    suite: &CipherSuite,
    signer: &SignaturePrivateKey,
    group_info: &mut GroupInfo,
) -> Result<()> {
    group_info.signature =
        suite.sign_with_label(signer, GROUP_INFO_LABEL, &group_info.to_be_signed())?;
    Ok(())
}

/// A Welcome for `new_members` (§12.4.3.1): the signed `group_info` encrypted with the
/// welcome key and nonce of `epoch_secrets`, and for each member
///
/// ```text
/// encrypted_group_secrets =
///   EncryptWithLabel(init_key, "Welcome",
///                    encrypted_group_info, group_secrets)
/// ```
///
/// where the GroupSecrets hold the `joiner_secret`, the member's path secret and
/// `psks`, the PSKs of the Commit in the order of its PreSharedKey proposals.
///
/// Fails with [`Error::Misuse`] if a KeyPackage is of another cipher suite.
pub fn create(
    suite: &CipherSuite,
    group_info: &GroupInfo,
    epoch_secrets: &EpochSecrets,
    psks: &[PreSharedKeyId],
    new_members: &[NewMember<'_>],
    rng: &mut dyn Random,
) -> Result<Welcome> {
    let key = epoch_secrets.welcome_key(suite)?;
    let encrypted_group_info = suite.aead_seal(
        key.key.as_bytes(),
        key.nonce.as_bytes(),
        b"",
        &group_info.to_bytes(),
    )?;

    let mut secrets = Vec::with_capacity(new_members.len());
    for member in new_members {
        let key_package = member.key_package;
        if key_package.cipher_suite.0 != suite.id() {
            return Err(Error::Misuse(
                "a Welcome can add only KeyPackages of the group's cipher suite",
            ));
        }
        let group_secrets = GroupSecrets {
            joiner_secret: epoch_secrets.joiner_secret.clone(),
            path_secret: member.path_secret.map(|s| PathSecret {
                path_secret: s.clone(),
            }),
            psks: psks.to_vec(),
        };
        let plaintext = Secret::new(group_secrets.to_bytes());
        let (kem_output, ciphertext) = suite.encrypt_with_label(
            &key_package.init_key.0,
            WELCOME_LABEL,
            &encrypted_group_info,
            plaintext.as_bytes(),
            rng,
        )?;
        secrets.push(EncryptedGroupSecrets {
            new_member: key_package.reference(suite),
            encrypted_group_secrets: HpkeCiphertext {
                kem_output,
                ciphertext,
            },
        });
    }
    Ok(Welcome {
        cipher_suite: CipherSuiteId(suite.id()),
        secrets,
        encrypted_group_info,
    })
}
