//! A receiving application ratchet of one sender in one epoch (spec §4.4, §5.1): which
//! generations can still be decrypted.

use std::collections::BTreeSet;

/// How many keys of skipped generations are kept per sender and ratchet (spec §4.4).
pub const KEPT_SKIPPED_KEYS: usize = 32;
/// How far one message may move a ratchet forward (spec §5.1).
pub const FORWARD_WINDOW: u32 = 1_024;

/// The state of a ratchet, as far as it decides what decrypts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ratchet {
    /// *n*: the first generation not yet derived.
    pub next: u32,
    /// The skipped generations whose keys are kept.
    pub kept: BTreeSet<u32>,
}

impl Ratchet {
    /// Consumes the key of `generation` (spec **receive.17**): true if it could be
    /// decrypted, false (and nothing changed) if it was used, dropped or too far ahead.
    pub fn consume(&mut self, generation: u32) -> bool {
        if generation >= self.next {
            // spec §5.1: g ≤ n + 1,024
            if generation - self.next > FORWARD_WINDOW {
                return false;
            }
            self.kept.extend(self.next..generation);
            // spec §4.4: the 32 with the highest generations are kept
            while self.kept.len() > KEPT_SKIPPED_KEYS {
                self.kept.pop_first();
            }
            self.next = generation + 1;
            true
        } else {
            // A key used before is gone; a skipped one is there until dropped.
            self.kept.remove(&generation)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_decrypts_once() {
        let mut r = Ratchet::default();
        assert!(r.consume(0));
        assert!(!r.consume(0));
    }

    #[test]
    fn a_late_message_decrypts_while_its_key_is_among_the_32_kept() {
        let mut r = Ratchet::default();
        assert!(r.consume(32));
        assert!(r.consume(0), "generations 0 to 31 are kept");
        let mut r = Ratchet::default();
        assert!(r.consume(33));
        assert!(!r.consume(0), "33 skipped: the lowest is dropped");
        assert!(r.consume(1));
    }

    #[test]
    fn a_message_more_than_1024_generations_ahead_changes_nothing() {
        let mut r = Ratchet::default();
        assert!(!r.consume(FORWARD_WINDOW + 1));
        assert_eq!(r, Ratchet::default());
        assert!(r.consume(FORWARD_WINDOW));
    }
}
