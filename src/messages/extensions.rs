//! Extensions (RFC 9420 §7.2, §13.4) and the extension types of the IANA registry
//! (§17.3).
//!
//! An extension is kept as its type and opaque data: unknown and GREASE types decode and
//! re-encode unchanged, as §13.4 requires ("MUST ignore all unrecognized ... extensions").
//! Interpreting the data of a known type is left to the code that uses it.

use crate::codec::{Codec, Reader};
use crate::error::{DecodeError, Error, ProtocolViolation};

// Defined in the vocabulary layer, below the error type whose violations name it.
pub use crate::vocabulary::ExtensionType;

/// One extension (§7.2).
///
/// ```text
/// struct {
///     ExtensionType extension_type;
///     opaque extension_data<V>;
/// } Extension;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    /// What the extension is.
    pub extension_type: ExtensionType,
    /// Its body, encoded as its type defines.
    pub extension_data: Vec<u8>,
}

impl Codec for Extension {
    fn encode(&self, out: &mut Vec<u8>) {
        self.extension_type.encode(out);
        self.extension_data.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Extension {
            extension_type: ExtensionType::decode(r)?,
            extension_data: Vec::<u8>::decode(r)?,
        })
    }
}

impl Extension {
    /// An extension of type `extension_type` holding `extension_data`.
    pub fn new(extension_type: ExtensionType, extension_data: Vec<u8>) -> Self {
        Extension {
            extension_type,
            extension_data,
        }
    }
}

/// The extension of this type in a list, if there is one.
pub fn find(extensions: &[Extension], extension_type: ExtensionType) -> Option<&Extension> {
    extensions
        .iter()
        .find(|e| e.extension_type == extension_type)
}

/// Checks the rule of §13.4: "Any field containing a list of extensions MUST NOT have
/// more than one extension of any given type."
///
/// Linear in the list's length (a peer chooses that length).
pub fn check_unique(extensions: &[Extension]) -> Result<(), Error> {
    let mut seen = std::collections::HashSet::with_capacity(extensions.len());
    if extensions.iter().all(|e| seen.insert(e.extension_type)) {
        Ok(())
    } else {
        Err(ProtocolViolation::Rule {
            section: "13.4",
            rule: "a list of extensions has two extensions of the same type",
        }
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_extension_round_trips_with_its_length_header() {
        let e = Extension::new(ExtensionType::EXTERNAL_PUB, vec![0xaa, 0xbb]);
        let bytes = e.to_bytes();
        assert_eq!(bytes, vec![0x00, 0x04, 0x02, 0xaa, 0xbb]);
        assert_eq!(Extension::from_bytes(&bytes), Ok(e));
    }

    #[test]
    fn a_grease_extension_decodes_and_re_encodes_unchanged() {
        let bytes = [0x3a, 0x3a, 0x01, 0x7f];
        let e = Extension::from_bytes(&bytes).unwrap();
        assert_eq!(e.extension_type, ExtensionType(0x3a3a));
        assert_eq!(e.to_bytes(), bytes);
        assert_eq!(format!("{:?}", e.extension_type), "ExtensionType(0x3a3a)");
    }

    #[test]
    fn an_extension_with_truncated_data_is_rejected() {
        assert!(Extension::from_bytes(&[0x00, 0x01, 0x05, 0x00]).is_err());
    }

    #[test]
    fn two_extensions_of_one_type_are_rejected() {
        let a = Extension::new(ExtensionType::APPLICATION_ID, vec![1]);
        let b = Extension::new(ExtensionType::RATCHET_TREE, vec![]);
        assert!(check_unique(&[a.clone(), b.clone()]).is_ok());
        assert!(check_unique(&[a.clone(), b, a]).is_err());
    }

    #[test]
    fn an_extension_is_found_by_type() {
        let list = [
            Extension::new(ExtensionType::APPLICATION_ID, vec![1]),
            Extension::new(ExtensionType::EXTERNAL_SENDERS, vec![2]),
        ];
        let found = find(&list, ExtensionType::EXTERNAL_SENDERS).map(|e| &e.extension_data);
        assert_eq!(found, Some(&vec![2]));
        assert!(find(&list, ExtensionType::RATCHET_TREE).is_none());
    }
}
