//! Finding the value of each PSK a commit names and combining them into the
//! `psk_secret` (RFC 9420 §8.4, §8.6, §12.4.2).
//!
//! The resumption PSKs of this group are the group's own (the current epoch's and the
//! retained past ones, §8.6); every other PSK (external PSKs, resumption PSKs of other
//! groups) comes from the application through a [`PskLookup`].

use crate::crypto::Secret;
use crate::error::{Error, Result};
use crate::messages::{PreSharedKeyId, PskSource};
use crate::psk::psk_secret_of;

use super::state::Group;
use super::violation::GroupViolation;

/// The application's PSKs: the value of the PSK an identifier names, or `None` if the
/// application does not hold it.
pub type PskLookup<'a> = &'a dyn Fn(&PreSharedKeyId) -> Option<Secret>;

/// A [`PskLookup`] that holds no PSK.
pub fn no_psks(_: &PreSharedKeyId) -> Option<Secret> {
    None
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
