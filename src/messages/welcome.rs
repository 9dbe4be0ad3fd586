//! The Welcome message that adds new members to a group (RFC 9420 §12.4.3.1).

use crate::codec::{Codec, Reader, write_opaque};
use crate::error::DecodeError;
use crate::messages::common::{CipherSuiteId, read_opaque};
use crate::messages::hash_reference::KeyPackageRef;
use crate::messages::hpke_ciphertext::HpkeCiphertext;

/// The group secrets encrypted to one new member's KeyPackage (RFC 9420 §12.4.3.1).
///
/// ```text
/// struct {
///   KeyPackageRef new_member;
///   HPKECiphertext encrypted_group_secrets;
/// } EncryptedGroupSecrets;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptedGroupSecrets {
    /// The KeyPackage the secrets are encrypted to.
    pub new_member: KeyPackageRef,
    /// `EncryptWithLabel(init_key, "Welcome", encrypted_group_info, GroupSecrets)`.
    pub encrypted_group_secrets: HpkeCiphertext,
}

impl Codec for EncryptedGroupSecrets {
    fn encode(&self, out: &mut Vec<u8>) {
        self.new_member.encode(out);
        self.encrypted_group_secrets.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(EncryptedGroupSecrets {
            new_member: KeyPackageRef::decode(r)?,
            encrypted_group_secrets: HpkeCiphertext::decode(r)?,
        })
    }
}

/// A Welcome: the GroupInfo, encrypted once, and the group secrets, encrypted to each
/// new member (RFC 9420 §12.4.3.1).
///
/// ```text
/// struct {
///   CipherSuite cipher_suite;
///   EncryptedGroupSecrets secrets<V>;
///   opaque encrypted_group_info<V>;
/// } Welcome;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Welcome {
    /// The group's cipher suite.
    pub cipher_suite: CipherSuiteId,
    /// One entry per new member.
    pub secrets: Vec<EncryptedGroupSecrets>,
    /// The GroupInfo, encrypted with a key derived from the welcome secret.
    pub encrypted_group_info: Vec<u8>,
}

impl Welcome {
    /// The entry for the KeyPackage `new_member`, if there is one.
    pub fn secrets_for(&self, new_member: &KeyPackageRef) -> Option<&EncryptedGroupSecrets> {
        self.secrets.iter().find(|s| &s.new_member == new_member)
    }
}

impl Codec for Welcome {
    fn encode(&self, out: &mut Vec<u8>) {
        self.cipher_suite.encode(out);
        self.secrets.encode(out);
        write_opaque(out, &self.encrypted_group_info);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Welcome {
            cipher_suite: CipherSuiteId::decode(r)?,
            secrets: Vec::decode(r)?,
            encrypted_group_info: read_opaque(r)?,
        })
    }
}
