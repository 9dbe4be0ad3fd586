//! What the store keeps: records, each named by a kind and an id (spec §9.2).

use super::StoreError;
use crate::codec::{MAX_VECTOR_LEN, write_opaque};

/// The kind of a record; its byte enters the locator, the record key and the AAD, so a
/// record of one kind can never be read as another (spec §9.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// An identity (spec §4.2), whose id is the client id.
    Identity,
    /// A stored key package (spec §4.3), whose id is its `KeyPackageRef`.
    KeyPackage,
    /// A group state (spec §4.4), whose id is [`group_record_id`]`(client id, group id)`.
    Group,
}

impl RecordKind {
    /// The kind's byte `k` of spec §9.2. (`00` is reserved: it named the journal of an
    /// earlier, file-based layout.)
    pub fn byte(self) -> u8 {
        match self {
            RecordKind::Identity => 0x01,
            RecordKind::KeyPackage => 0x02,
            RecordKind::Group => 0x03,
        }
    }
}

/// The id of the group record of (client id, group id):
/// `opaque<V>(client id) ‖ opaque<V>(group id)` (spec §9.2), so that no two pairs share
/// an id. Fails with [`StoreError::IdTooLong`] if either id is longer than `opaque<V>`
/// allows (the Web API rejects such inputs earlier, spec §3.5).
pub fn group_record_id(client_id: &[u8], group_id: &[u8]) -> Result<Vec<u8>, StoreError> {
    let mut id = Vec::with_capacity(client_id.len() + group_id.len() + 8);
    for part in [client_id, group_id] {
        if part.len() > MAX_VECTOR_LEN {
            return Err(StoreError::IdTooLong(part.len()));
        }
        write_opaque(&mut id, part);
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_record_ids_of_different_pairs_differ_even_when_their_concatenations_agree() {
        let split_late = group_record_id(b"ab", b"c").unwrap();
        let split_early = group_record_id(b"a", b"bc").unwrap();
        assert_ne!(split_late, split_early);
        assert_eq!(split_early, b"\x01a\x02bc");
    }

    #[test]
    fn every_kind_has_its_own_byte() {
        let bytes = [
            RecordKind::Identity,
            RecordKind::KeyPackage,
            RecordKind::Group,
        ]
        .map(RecordKind::byte);
        assert_eq!(bytes, [1, 2, 3]);
    }
}
