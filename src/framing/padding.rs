//! How many zero bytes a sender appends to a PrivateMessageContent (RFC 9420 §6.3.1:
//! "It is up to the application to decide ... how much padding to add to a given
//! message (if any)").

/// The sender's padding policy for the plaintext of a PrivateMessage. Receivers accept
/// any padding that is all zero bytes, whatever their own policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PaddingPolicy {
    /// No padding.
    #[default]
    None,
    /// Pad the encoded PrivateMessageContent with zeros up to the smallest multiple of
    /// this many bytes that is at least its length. 0 and 1 mean no padding.
    MultipleOf(usize),
}

impl PaddingPolicy {
    /// The policy of the Web API specification (§5.3): a multiple of 32 bytes.
    pub const WEB_API: PaddingPolicy = PaddingPolicy::MultipleOf(32);

    /// The number of zero bytes to append to a plaintext of `unpadded` bytes.
    pub fn padding_len(self, unpadded: usize) -> usize {
        match self {
            PaddingPolicy::None | PaddingPolicy::MultipleOf(0) => 0,
            PaddingPolicy::MultipleOf(block) => (block - unpadded % block) % block,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_to_a_multiple_reaches_the_next_multiple() {
        let p = PaddingPolicy::MultipleOf(32);
        assert_eq!(p.padding_len(0), 0);
        assert_eq!(p.padding_len(1), 31);
        assert_eq!(p.padding_len(31), 1);
        assert_eq!(p.padding_len(32), 0);
        assert_eq!(p.padding_len(33), 31);
    }

    #[test]
    fn no_padding_and_degenerate_blocks_add_nothing() {
        for p in [
            PaddingPolicy::None,
            PaddingPolicy::MultipleOf(0),
            PaddingPolicy::MultipleOf(1),
        ] {
            assert_eq!(p.padding_len(17), 0, "{p:?}");
        }
    }
}
