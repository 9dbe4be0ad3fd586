//! Identifiers of pre-shared keys (RFC 9420 §8.4).

use crate::codec::{Codec, Reader, write_opaque};
use crate::error::DecodeError;
use crate::messages::common::read_opaque;

// Defined in the vocabulary layer, below the error type whose violations name it.
pub use crate::vocabulary::{PskSource, PskType, ResumptionPskUsage};

/// A PSK to inject into the key schedule, with a fresh nonce (RFC 9420 §8.4).
///
/// ```text
/// struct {
///   PSKType psktype;
///   select (PreSharedKeyID.psktype) {
///     case external:
///       opaque psk_id<V>;
///
///     case resumption:
///       ResumptionPSKUsage usage;
///       opaque psk_group_id<V>;
///       uint64 psk_epoch;
///   };
///   opaque psk_nonce<V>;
/// } PreSharedKeyID;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreSharedKeyId {
    /// Which PSK.
    pub psk: PskSource,
    /// A fresh random value of length `KDF.Nh`.
    pub psk_nonce: Vec<u8>,
}

impl Codec for PreSharedKeyId {
    fn encode(&self, out: &mut Vec<u8>) {
        self.psk.psk_type().encode(out);
        match &self.psk {
            PskSource::External { psk_id } => write_opaque(out, psk_id),
            PskSource::Resumption {
                usage,
                psk_group_id,
                psk_epoch,
            } => {
                usage.encode(out);
                write_opaque(out, psk_group_id);
                psk_epoch.encode(out);
            }
        }
        write_opaque(out, &self.psk_nonce);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let psk = match PskType::decode(r)? {
            PskType::EXTERNAL => PskSource::External {
                psk_id: read_opaque(r)?,
            },
            PskType::RESUMPTION => PskSource::Resumption {
                usage: ResumptionPskUsage::decode(r)?,
                psk_group_id: read_opaque(r)?,
                psk_epoch: r.u64()?,
            },
            other => {
                return Err(DecodeError::InvalidValue {
                    field: "PreSharedKeyID.psktype",
                    value: other.0.into(),
                });
            }
        };
        Ok(PreSharedKeyId {
            psk,
            psk_nonce: read_opaque(r)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_kinds_of_psk_id_round_trip() {
        for psk in [
            PskSource::External { psk_id: vec![1, 2] },
            PskSource::Resumption {
                usage: ResumptionPskUsage::BRANCH,
                psk_group_id: b"group".to_vec(),
                psk_epoch: 0x0102_0304_0506_0708,
            },
        ] {
            let id = PreSharedKeyId {
                psk,
                psk_nonce: vec![7; 32],
            };
            assert_eq!(PreSharedKeyId::from_bytes(&id.to_bytes()), Ok(id));
        }
    }

    #[test]
    fn an_unknown_psk_type_is_rejected() {
        assert_eq!(
            PreSharedKeyId::from_bytes(&[3, 0, 0]),
            Err(DecodeError::InvalidValue {
                field: "PreSharedKeyID.psktype",
                value: 3
            })
        );
    }

    #[test]
    fn an_unknown_resumption_usage_is_kept() {
        let bytes = [2, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0];
        let id = PreSharedKeyId::from_bytes(&bytes).unwrap();
        assert_eq!(id.to_bytes(), bytes);
    }
}
