//! The ratchet tree, as far as the Web API shows it: which client sits in which leaf,
//! with which credential (spec **details.3**).

use crate::call::Member;
use crate::tokens::Client;

/// The leaves in order; `None` is a blank leaf.
pub type Tree = Vec<Option<Member>>;

/// Whether `client` has a leaf.
pub fn has_member(tree: &Tree, client: Client) -> bool {
    tree.iter().flatten().any(|m| m.client == client)
}

/// The members in increasing leaf index (spec **details.3**).
pub fn members(tree: &Tree) -> Vec<Member> {
    tree.iter().flatten().copied().collect()
}

/// Blanks the leaf of `client` and truncates trailing blank leaves (RFC 9420 §12.1.3).
pub fn remove(tree: &mut Tree, client: Client) {
    for leaf in tree.iter_mut() {
        if leaf.is_some_and(|m| m.client == client) {
            *leaf = None;
        }
    }
    while tree.last().is_some_and(|l| l.is_none()) {
        tree.pop();
    }
}

/// Puts `member` in the leftmost blank leaf, or a new leaf on the right (RFC 9420
/// §12.1.1).
pub fn add(tree: &mut Tree, member: Member) {
    match tree.iter_mut().find(|l| l.is_none()) {
        Some(blank) => *blank = Some(member),
        None => tree.push(Some(member)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(c: u32) -> Member {
        Member {
            client: Client(c),
            credential: c as u8,
        }
    }

    #[test]
    fn an_add_fills_the_leftmost_blank_leaf() {
        let mut t: Tree = vec![Some(m(1)), Some(m(2)), Some(m(3))];
        remove(&mut t, Client(2));
        add(&mut t, m(4));
        assert_eq!(members(&t), vec![m(1), m(4), m(3)]);
    }

    #[test]
    fn removing_the_rightmost_member_truncates_the_tree() {
        let mut t: Tree = vec![Some(m(1)), None, Some(m(3))];
        remove(&mut t, Client(3));
        assert_eq!(t, vec![Some(m(1))]);
    }
}
