//! Finding the value of each PSK a commit names and combining them into the
//! `psk_secret` (RFC 9420 §8.4, §8.6, §12.4.2).
//!
//! The resumption PSKs of this group are the group's own (the current epoch's and the
//! retained past ones, §8.6); every other PSK (external PSKs, resumption PSKs of other
//! groups) comes from the application through a [`PskLookup`].

use crate::codec::Codec;
use crate::crypto::{CipherSuite, Secret};
use crate::error::{Error, Result};
use crate::messages::{PreSharedKeyId, PskSource};
use crate::psk::{PskInput, psk_secret};

use super::state::Group;
use super::violation::GroupViolation;

/// The application's PSKs: the value of the PSK an identifier names, or `None` if the
/// application does not hold it.
pub type PskLookup<'a> = &'a dyn Fn(&PreSharedKeyId) -> Option<Secret>;

/// A [`PskLookup`] that holds no PSK.
pub fn no_psks(_: &PreSharedKeyId) -> Option<Secret> {
    None
}

/// `psk_secret` (§8.4) of the PSKs `ids`, in their order: the one loop behind a commit's
/// PSKs (a member's, [`Group::psk_secret`], or an external joiner's) and a Welcome's.
/// `value_of` gives the value of the PSK at an index, or the error for one that is not
/// available (or otherwise unusable); the first error is returned.
pub(crate) fn psk_secret_of(
    suite: &CipherSuite,
    ids: &[PreSharedKeyId],
    value_of: impl Fn(usize, &PreSharedKeyId) -> Result<Secret>,
) -> Result<Secret> {
    let mut encoded = Vec::with_capacity(ids.len());
    let mut values = Vec::with_capacity(ids.len());
    for (index, id) in ids.iter().enumerate() {
        values.push(value_of(index, id)?);
        encoded.push(id.to_bytes());
    }
    let inputs: Vec<PskInput<'_>> = encoded
        .iter()
        .zip(&values)
        .map(|(id, psk)| PskInput { id, psk })
        .collect();
    psk_secret(suite, &inputs)
}

/// §12.4.2: "Verify that all PreSharedKey proposals in the `proposals` vector are
/// available": the error for the PSK `id` at `index` when it is not.
pub(crate) fn unknown_psk(index: usize, id: &PreSharedKeyId) -> Error {
    GroupViolation::UnknownPsk {
        index,
        psk: id.psk.clone(),
    }
    .into()
}

impl Group {
    /// The value of one PSK: a resumption PSK of this group from the group itself,
    /// anything else from `lookup`.
    pub(super) fn psk_value(&self, id: &PreSharedKeyId, lookup: PskLookup<'_>) -> Option<Secret> {
        match &id.psk {
            PskSource::Resumption {
                psk_group_id,
                psk_epoch,
                ..
            } if psk_group_id.as_slice() == self.group_id() => {
                self.resumption_psk(*psk_epoch).cloned()
            }
            _ => lookup(id),
        }
    }

    /// `psk_secret` for the PSKs of a commit, in the order of its PreSharedKey
    /// proposals (§8.4). Fails with [`GroupViolation::UnknownPsk`] if one is not
    /// available (§12.4.2: "Verify that all PreSharedKey proposals in the `proposals`
    /// vector are available").
    pub fn psk_secret(&self, psks: &[PreSharedKeyId], lookup: PskLookup<'_>) -> Result<Secret> {
        psk_secret_of(&self.suite, psks, |index, id| {
            self.psk_value(id, lookup)
                .ok_or_else(|| unknown_psk(index, id))
        })
    }

    /// A [`PskLookup`]-shaped view of this group's resumption PSKs in front of
    /// `lookup`, for joining a new group that names a PSK of this one.
    pub fn with_resumption_psks<'a>(
        &'a self,
        lookup: PskLookup<'a>,
    ) -> impl Fn(&PreSharedKeyId) -> Option<Secret> + 'a {
        move |id| self.psk_value(id, lookup)
    }
}
