//! The secrets a Welcome carries to each new member (RFC 9420 §12.4.3.1).

use crate::codec::{Codec, Reader, write_opaque};
use crate::crypto::Secret;
use crate::error::DecodeError;
use crate::messages::common::read_opaque;
use crate::messages::pre_shared_key_id::PreSharedKeyId;

/// A path secret for the new member's lowest common ancestor with the committer
/// (RFC 9420 §12.4.3.1).
///
/// ```text
/// struct {
///   opaque path_secret<V>;
/// } PathSecret;
/// ```
#[derive(Debug, Clone)]
pub struct PathSecret {
    /// The path secret.
    pub path_secret: Secret,
}

impl Codec for PathSecret {
    fn encode(&self, out: &mut Vec<u8>) {
        write_opaque(out, self.path_secret.as_bytes());
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(PathSecret {
            path_secret: Secret::new(read_opaque(r)?),
        })
    }
}

/// What a Welcome encrypts to each new member (RFC 9420 §12.4.3.1).
///
/// ```text
/// struct {
///   opaque joiner_secret<V>;
///   optional<PathSecret> path_secret;
///   PreSharedKeyID psks<V>;
/// } GroupSecrets;
/// ```
#[derive(Debug, Clone)]
pub struct GroupSecrets {
    /// The joiner secret of the new epoch.
    pub joiner_secret: Secret,
    /// The path secret of the lowest node shared with the committer's path, if any.
    pub path_secret: Option<PathSecret>,
    /// The PSKs to inject into the key schedule, in order.
    pub psks: Vec<PreSharedKeyId>,
}

impl Codec for GroupSecrets {
    fn encode(&self, out: &mut Vec<u8>) {
        write_opaque(out, self.joiner_secret.as_bytes());
        self.path_secret.encode(out);
        self.psks.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(GroupSecrets {
            joiner_secret: Secret::new(read_opaque(r)?),
            path_secret: Option::decode(r)?,
            psks: Vec::decode(r)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_secrets_with_and_without_a_path_secret_round_trip() {
        for bytes in [vec![1, 9, 0, 0], vec![1, 9, 1, 2, 5, 6, 0]] {
            let secrets = GroupSecrets::from_bytes(&bytes).unwrap();
            assert_eq!(secrets.to_bytes(), bytes);
        }
    }

    #[test]
    fn a_path_secret_presence_byte_of_two_is_rejected() {
        assert_eq!(
            GroupSecrets::from_bytes(&[1, 9, 2, 1, 5, 0]).err(),
            Some(DecodeError::InvalidOptional(2))
        );
    }
}
