//! Where a pre-shared key comes from (RFC 9420 §8.4): the PSK types, resumption
//! usages, and the source a PreSharedKeyID names.

use crate::wire_enum;

wire_enum! {
    /// Where a PSK comes from (RFC 9420 §8.4).
    ///
    /// ```text
    /// enum {
    ///   reserved(0),
    ///   external(1),
    ///   resumption(2),
    ///   (255)
    /// } PSKType;
    /// ```
    pub struct PskType(u8) {
        /// Agreed on outside MLS.
        EXTERNAL = 1,
        /// The `resumption_psk` of an epoch of some group.
        RESUMPTION = 2,
    }
}

wire_enum! {
    /// What a resumption PSK is used for (RFC 9420 §8.4). Does not select a body, so
    /// unknown values are kept.
    ///
    /// ```text
    /// enum {
    ///   reserved(0),
    ///   application(1),
    ///   reinit(2),
    ///   branch(3),
    ///   (255)
    /// } ResumptionPSKUsage;
    /// ```
    pub struct ResumptionPskUsage(u8) {
        /// Chosen by the application.
        APPLICATION = 1,
        /// Reinitialization of a group (§11.2).
        REINIT = 2,
        /// Branching a subgroup (§11.3).
        BRANCH = 3,
    }
}

/// The `psktype` of a [`crate::messages::PreSharedKeyId`] with the fields it selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PskSource {
    /// `external`: a PSK known by its identifier.
    External {
        /// The PSK's identifier.
        psk_id: Vec<u8>,
    },
    /// `resumption`: the `resumption_psk` of `psk_epoch` of group `psk_group_id`.
    Resumption {
        /// What the PSK is used for.
        usage: ResumptionPskUsage,
        /// The group.
        psk_group_id: Vec<u8>,
        /// The epoch.
        psk_epoch: u64,
    },
}

impl PskSource {
    /// The selector written on the wire.
    pub fn psk_type(&self) -> PskType {
        match self {
            PskSource::External { .. } => PskType::EXTERNAL,
            PskSource::Resumption { .. } => PskType::RESUMPTION,
        }
    }
}
