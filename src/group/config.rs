//! The choices RFC 9420 leaves to the application for one group: how long keys of past
//! epochs are kept (§9.2, §15.3, §8.6), how handshake messages are sent (§6), how
//! PrivateMessages are padded (§6.3.1), whether a Welcome carries the tree
//! (§12.4.3.3), and whether lifetimes are checked (§7.3).

use crate::clock::{Clock, LifetimeCheck};
use crate::framing::PaddingPolicy;
use crate::messages::WireFormat;
use crate::secret_tree::RatchetPolicy;

/// Whether leaf lifetimes are checked (§7.3: the current time must be within the
/// `lifetime` of a `key_package` leaf; "RECOMMENDED" for leaves received).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LifetimePolicy {
    /// Check every `key_package` leaf against the clock passed to the call.
    #[default]
    Enforce,
    /// Do not check lifetimes. Only for inputs known to carry expired lifetimes, such as
    /// the RFC 9420 passive-client test vectors; whoever chooses it must say so.
    Skip,
}

/// How a group behaves where RFC 9420 leaves the choice to the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupConfig {
    /// Limits on out-of-order application and handshake messages within an epoch
    /// (§15.3).
    pub ratchet_policy: RatchetPolicy,
    /// How many past epochs keep their secret tree, so that application messages that
    /// arrive after the next commit still decrypt (§9.2, §15.3). Default 3.
    pub past_epochs: usize,
    /// How many past epochs keep their `resumption_psk` (§8.6: "The application SHOULD
    /// specify an upper limit on the number of past epochs for which the
    /// `resumption_psk` may be stored"). Default 5.
    pub resumption_psks: usize,
    /// The wire format of the proposals and commits this member sends:
    /// [`WireFormat::MLS_PUBLIC_MESSAGE`] (the default) or
    /// [`WireFormat::MLS_PRIVATE_MESSAGE`].
    pub handshake_wire_format: WireFormat,
    /// The padding of the PrivateMessages this member sends (§6.3.1); a multiple of 32
    /// bytes by default, as the Web API asks.
    pub padding: PaddingPolicy,
    /// Whether the Welcomes this member sends carry the `ratchet_tree` extension in their
    /// GroupInfo (§12.4.3.3), unless a commit says otherwise
    /// ([`super::CommitOptions::ratchet_tree_in_welcome`]). Default true.
    pub ratchet_tree_in_welcome: bool,
    /// Whether leaf lifetimes are checked (§7.3). The clock is passed to each call that
    /// validates leaves.
    pub lifetime: LifetimePolicy,
}

impl Default for GroupConfig {
    fn default() -> Self {
        GroupConfig {
            ratchet_policy: RatchetPolicy::default(),
            past_epochs: 3,
            resumption_psks: 5,
            handshake_wire_format: WireFormat::MLS_PUBLIC_MESSAGE,
            padding: PaddingPolicy::WEB_API,
            ratchet_tree_in_welcome: true,
            lifetime: LifetimePolicy::Enforce,
        }
    }
}

impl GroupConfig {
    /// The lifetime check this configuration asks for, against `clock`.
    pub fn lifetime_check<'a>(&self, clock: &'a dyn Clock) -> LifetimeCheck<'a> {
        match self.lifetime {
            LifetimePolicy::Enforce => LifetimeCheck::Against(clock),
            LifetimePolicy::Skip => LifetimeCheck::Skipped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;

    #[test]
    fn the_default_configuration_enforces_lifetimes() {
        let config = GroupConfig::default();
        let clock = FixedClock(100);
        assert!(!config.lifetime_check(&clock).accepts(0, 99));
        let skip = GroupConfig {
            lifetime: LifetimePolicy::Skip,
            ..config
        };
        assert!(skip.lifetime_check(&clock).accepts(0, 99));
    }

    #[test]
    fn the_default_configuration_sends_public_handshakes_and_pads_to_32_bytes() {
        let config = GroupConfig::default();
        assert_eq!(config.handshake_wire_format, WireFormat::MLS_PUBLIC_MESSAGE);
        assert_eq!(config.padding, PaddingPolicy::MultipleOf(32));
        assert_eq!((config.past_epochs, config.resumption_psks), (3, 5));
    }
}
