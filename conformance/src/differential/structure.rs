//! The standalone wire structures an input can hold, and where the first variable-length
//! header of each sits (for the non-minimal-varint mutation).

use std::fmt;

/// An RFC 9420 structure that is decoded on its own, with nothing around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Structure {
    /// `MLSMessage` (§6): PublicMessage, PrivateMessage, Welcome, GroupInfo or KeyPackage.
    MlsMessage,
    /// `optional<Node> ratchet_tree<V>` (§12.4.3.3), as sent out of band.
    RatchetTree,
    /// `GroupSecrets` (§12.4.3.1).
    GroupSecrets,
    /// The body of an Add proposal (§12.1.1): `struct { KeyPackage key_package; }`.
    Add,
    /// The body of an Update proposal (§12.1.2): `struct { LeafNode leaf_node; }`.
    Update,
    /// The body of a Remove proposal (§12.1.3): `struct { uint32 removed; }`.
    Remove,
    /// The body of a PreSharedKey proposal (§12.1.4): `struct { PreSharedKeyID psk; }`.
    PreSharedKey,
    /// The body of a ReInit proposal (§12.1.5).
    ReInit,
    /// The body of an ExternalInit proposal (§12.1.6): `struct { opaque kem_output<V>; }`.
    ExternalInit,
    /// The body of a GroupContextExtensions proposal (§12.1.7): `Extension extensions<V>`.
    GroupContextExtensions,
    /// `Commit` (§12.4).
    Commit,
}

/// `wire_format` values (§6, §17.2).
const PUBLIC_MESSAGE: u16 = 1;
const PRIVATE_MESSAGE: u16 = 2;
const WELCOME: u16 = 3;
const GROUP_INFO: u16 = 4;
const KEY_PACKAGE: u16 = 5;

/// `psktype` values (§8.4).
const PSK_EXTERNAL: u8 = 1;
const PSK_RESUMPTION: u8 = 2;

impl Structure {
    /// The structure named by the `rfc_struct` column of the `messages.json` field table
    /// ([`crate::runners::messages::FIELDS`]).
    pub fn from_rfc_name(name: &str) -> Option<Structure> {
        Some(match name {
            "MLSMessage" => Structure::MlsMessage,
            "optional<Node> ratchet_tree<V>" => Structure::RatchetTree,
            "GroupSecrets" => Structure::GroupSecrets,
            "Add" => Structure::Add,
            "Update" => Structure::Update,
            "Remove" => Structure::Remove,
            "PreSharedKey" => Structure::PreSharedKey,
            "ReInit" => Structure::ReInit,
            "ExternalInit" => Structure::ExternalInit,
            "GroupContextExtensions" => Structure::GroupContextExtensions,
            "Commit" => Structure::Commit,
            _ => return None,
        })
    }

    /// Where the first variable-length vector header of `bytes`, read as this structure,
    /// starts; `None` when the structure has none at a fixed place (Remove is a bare
    /// `uint32`) or the bytes are too short to tell.
    ///
    /// Every offset returned is a top-level field: no enclosing length covers it, so
    /// widening that header leaves the rest of the encoding consistent.
    pub fn first_vector_header(self, bytes: &[u8]) -> Option<usize> {
        let u16_at = |at: usize| {
            bytes
                .get(at..at + 2)
                .map(|b| u16::from_be_bytes([b[0], b[1]]))
        };
        let offset = match self {
            Structure::MlsMessage => match u16_at(2)? {
                // FramedContent.group_id (PublicMessage) or PrivateMessage.group_id.
                PUBLIC_MESSAGE | PRIVATE_MESSAGE => 4,
                // After Welcome.cipher_suite: the secrets vector.
                WELCOME => 6,
                // After GroupContext.version and cipher_suite: group_id.
                GROUP_INFO => 8,
                // After KeyPackage.version and cipher_suite: init_key.
                KEY_PACKAGE => 8,
                _ => return None,
            },
            Structure::RatchetTree
            | Structure::GroupSecrets
            | Structure::Update
            | Structure::ReInit
            | Structure::ExternalInit
            | Structure::GroupContextExtensions
            | Structure::Commit => 0,
            // KeyPackage.init_key, after version and cipher_suite.
            Structure::Add => 4,
            Structure::Remove => return None,
            Structure::PreSharedKey => match *bytes.first()? {
                PSK_EXTERNAL => 1,
                // After resumption.usage: psk_group_id.
                PSK_RESUMPTION => 2,
                _ => return None,
            },
        };
        (offset < bytes.len()).then_some(offset)
    }
}

impl fmt::Display for Structure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runners::messages::FIELDS;

    #[test]
    fn every_messages_json_field_names_a_known_structure() {
        for field in FIELDS {
            assert!(
                Structure::from_rfc_name(field.rfc_struct).is_some(),
                "{} ({})",
                field.name,
                field.rfc_struct
            );
        }
    }

    #[test]
    fn the_first_header_of_a_key_package_message_is_its_init_key() {
        let key_package = [0, 1, 0, 5, 0, 1, 0, 1, 0x20];
        assert_eq!(
            Structure::MlsMessage.first_vector_header(&key_package),
            Some(8)
        );
    }

    #[test]
    fn a_remove_or_an_unknown_wire_format_has_no_header_to_widen() {
        assert_eq!(Structure::Remove.first_vector_header(&[0, 0, 0, 7]), None);
        assert_eq!(
            Structure::MlsMessage.first_vector_header(&[0, 1, 0, 9, 0, 0]),
            None
        );
    }

    #[test]
    fn a_psk_header_depends_on_its_type() {
        assert_eq!(
            Structure::PreSharedKey.first_vector_header(&[1, 3, 0]),
            Some(1)
        );
        assert_eq!(
            Structure::PreSharedKey.first_vector_header(&[2, 1, 0]),
            Some(2)
        );
    }
}
