//! Emptying a group's proposal cache C (**clearPendingProposals.3**).
//!
//! The engine's [`Group`] keeps the proposals of the epoch and empties the cache only when
//! a commit starts a new epoch; it has no method to empty it within an epoch. The Web
//! API needs one, so this module does it through the group's persistent encoding (format
//! version 1, documented at [`crate::group::FORMAT_VERSION`]): it finds the encoded
//! cache, replaces it by an empty vector, and decodes the result. Everything else of the
//! group, secrets included, is kept byte for byte.
//!
//! If the engine gains a method for this, this module should be replaced by a call to it.

use crate::codec::{Codec, Reader};
use crate::error::{DecodeError, Result};
use crate::group::{FORMAT_VERSION, Group};
use crate::messages::group_context::GroupContext;

use super::error::{WebApiError, WebApiResult};

/// `group` with an empty proposal cache.
pub fn without_proposals(group: &Group) -> WebApiResult<Group> {
    if group.pending_proposals().is_empty() {
        return Ok(group.clone());
    }
    let state = group.to_state_bytes();
    let cleared = clear_in_state(&state)
        .map_err(|e| WebApiError::unknown(format!("cannot empty the proposal cache: {e}")))?;
    if !cleared.pending_proposals().is_empty() {
        return Err(WebApiError::unknown("the proposal cache was not emptied"));
    }
    Ok(cleared)
}

/// Rewrites the encoded group `state` with an empty proposal cache and decodes it.
fn clear_in_state(state: &[u8]) -> Result<Group> {
    let (start, end) = proposal_cache_span(state)?;
    let mut cleared = zeroize::Zeroizing::new(Vec::with_capacity(state.len()));
    cleared.extend_from_slice(&state[..start]);
    cleared.push(0); // an empty vector: varint(0)
    cleared.extend_from_slice(&state[end..]);
    Group::from_state_bytes(&cleared)
}

/// Where the `proposals<V>` field of a `GroupState` starts and ends in `state`: after the
/// header, `GroupConfigState`, `cipher_suite`, `GroupContext`, ratchet tree,
/// `leaf_count`, `own_leaf`, `signature_private`, `private_keys`, the eleven epoch
/// secrets, `SecretTreeState`, `interim_transcript_hash` and `confirmation_tag`.
fn proposal_cache_span(state: &[u8]) -> Result<(usize, usize)> {
    let mut r = Reader::new(state);
    let version = r.u8()?;
    let kind = r.u8()?;
    if version != FORMAT_VERSION || kind != 1 {
        return Err(DecodeError::InvalidValue {
            field: "group state header",
            value: u64::from(version) << 8 | u64::from(kind),
        }
        .into());
    }
    skip_config(&mut r)?;
    r.u16()?; // cipher_suite
    GroupContext::decode(&mut r)?;
    r.vector()?; // ratchet_tree
    r.u32()?; // leaf_count
    r.u32()?; // own_leaf
    r.opaque()?; // signature_private
    r.vector()?; // private_keys
    for _ in 0..11 {
        r.opaque()?; // epoch secrets
    }
    // SecretTreeState: leaves, max_forward_distance, out_of_order_window, nodes, ratchets.
    r.u32()?;
    r.u32()?;
    r.u32()?;
    r.vector()?;
    r.vector()?;
    r.opaque()?; // interim_transcript_hash
    r.opaque()?; // confirmation_tag
    let start = state.len() - r.remaining();
    r.vector()?; // proposals
    let end = state.len() - r.remaining();
    Ok((start, end))
}

/// Skips a `GroupConfigState`.
fn skip_config(r: &mut Reader<'_>) -> Result<()> {
    r.u32()?;
    r.u32()?;
    r.u64()?;
    r.u64()?;
    r.u16()?;
    if r.u8()? == 1 {
        r.u64()?; // padding block
    }
    r.u8()?; // ratchet_tree_in_welcome
    r.u8()?; // lifetime
    Ok(())
}
