//! Array-based tree arithmetic (RFC 9420 Appendix C).
//!
//! Every tree in MLS is a perfect binary tree with 2^d leaves (§4.1: "Every tree used in
//! this protocol is a perfect binary tree"). In the array representation leaf `i`
//! is node `2i` and the parent nodes sit at the odd indices; a node's level is the number
//! of trailing one bits of its index.
//!
//! All functions here are total: where the RFC's pseudocode raises an exception (the
//! children of a leaf, the parent of the root) or an index lies outside the tree, they
//! return `None`. Arithmetic is done in `u64`, so no index, however large, can overflow.

use crate::codec::{Codec, Reader};
use crate::error::DecodeError;

/// The index of a leaf, counted from the left starting at 0 (`uint32` on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LeafIndex(pub u32);

/// The index of a node in the array representation of a tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeIndex(pub u32);

/// `uint32 leaf_index;` as in `Remove`, `Sender` and `LeafNodeTBS`.
impl Codec for LeafIndex {
    fn encode(&self, out: &mut Vec<u8>) {
        self.0.encode(out);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.u32().map(LeafIndex)
    }
}

/// Narrows a `u64` node index back to a [`NodeIndex`], or `None` if it does not fit.
fn node(x: u64) -> Option<NodeIndex> {
    u32::try_from(x).ok().map(NodeIndex)
}

impl LeafIndex {
    /// The node that holds this leaf: `2 * i`. `None` for leaf indices of 2^31 and
    /// above, which no tree can hold.
    pub fn to_node(self) -> Option<NodeIndex> {
        node(2 * u64::from(self.0))
    }
}

impl NodeIndex {
    /// True for leaves (even indices).
    pub fn is_leaf(self) -> bool {
        self.0 & 1 == 0
    }

    /// The leaf this node holds, or `None` for a parent node.
    pub fn to_leaf(self) -> Option<LeafIndex> {
        self.is_leaf().then_some(LeafIndex(self.0 / 2))
    }

    /// `level(x)`: 0 for leaves, 1 for their parents, and so on (the number of trailing
    /// one bits of the index).
    pub fn level(self) -> u32 {
        self.0.trailing_ones()
    }

    /// `left(x)`: the left child of a parent node; `None` for a leaf.
    pub fn left(self) -> Option<NodeIndex> {
        let k = self.level();
        if k == 0 {
            return None;
        }
        node(u64::from(self.0) ^ (1u64 << (k - 1)))
    }

    /// `right(x)`: the right child of a parent node; `None` for a leaf, and for indices
    /// so large that the child would not be a `u32`.
    pub fn right(self) -> Option<NodeIndex> {
        let k = self.level();
        if k == 0 {
            return None;
        }
        node(u64::from(self.0) ^ (3u64 << (k - 1)))
    }

    /// The parent of this node in an unbounded perfect tree (Appendix C's `parent` without
    /// the root check). [`LeafCount::parent`] adds the bounds of a real tree.
    fn unbounded_parent(self) -> Option<NodeIndex> {
        let k = self.level();
        let x = u64::from(self.0);
        let b = (x >> (k + 1)) & 1;
        node((x | (1u64 << k)) ^ (b << (k + 1)))
    }

    /// The lowest and highest node indices of the subtree headed by this node.
    fn span(self) -> (u64, u64) {
        let half = (1u64 << self.level()) - 1;
        let x = u64::from(self.0);
        (x - half, x + half)
    }
}

/// The number of leaves of a tree: always a power of two between 1 and 2^31 (§4.1: every
/// tree is a perfect binary tree with 2^d leaves; 2^31 leaves is the most whose
/// `2^32 - 1` nodes still have `u32` indices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LeafCount(u32);

impl LeafCount {
    /// The largest leaf count whose nodes all have `u32` indices.
    pub const MAX: u32 = 1 << 31;

    /// A tree of `n` leaves, if `n` is a power of two no larger than [`Self::MAX`].
    pub fn new(n: u32) -> Option<Self> {
        (n.is_power_of_two() && n <= Self::MAX).then_some(LeafCount(n))
    }

    /// The smallest tree that holds `n` leaves: `n` rounded up to a power of two (and at
    /// least 1). `None` above [`Self::MAX`].
    pub fn covering(n: u32) -> Option<Self> {
        n.max(1).checked_next_power_of_two().and_then(Self::new)
    }

    /// The tree whose node array has `width` entries, if `width` is `2^(d+1) - 1`.
    pub fn from_node_width(width: u32) -> Option<Self> {
        // width = 2n - 1, so n = (width + 1) / 2, rounded up here for any width.
        let count = Self::new(width.div_ceil(2))?;
        (count.node_width() == width).then_some(count)
    }

    /// The number of leaves.
    pub fn get(self) -> u32 {
        self.0
    }

    /// `node_width(n) = 2n - 1`: the number of nodes of the tree. At most `u32::MAX`
    /// because `n <= 2^31`.
    pub fn node_width(self) -> u32 {
        // n >= 1 and n <= 2^31, so 2n - 1 is between 1 and 2^32 - 1.
        (2 * u64::from(self.0) - 1) as u32
    }

    /// `root(n)`: the root of a perfect tree with `n` leaves is node `n - 1`.
    pub fn root(self) -> NodeIndex {
        NodeIndex(self.0 - 1)
    }

    /// True if the tree has this leaf.
    pub fn contains_leaf(self, leaf: LeafIndex) -> bool {
        leaf.0 < self.0
    }

    /// True if the tree has this node.
    pub fn contains_node(self, x: NodeIndex) -> bool {
        x.0 < self.node_width()
    }

    /// `parent(x, n)`: `None` for the root and for nodes outside the tree.
    pub fn parent(self, x: NodeIndex) -> Option<NodeIndex> {
        if !self.contains_node(x) || x == self.root() {
            return None;
        }
        x.unbounded_parent()
    }

    /// `sibling(x, n)`: the other child of `x`'s parent; `None` for the root and for
    /// nodes outside the tree.
    pub fn sibling(self, x: NodeIndex) -> Option<NodeIndex> {
        let p = self.parent(x)?;
        if x < p { p.right() } else { p.left() }
    }

    /// `direct_path(x, n)`: the parents of `x` from its own parent up to the root (empty
    /// for the root); `None` for nodes outside the tree.
    pub fn direct_path(self, x: NodeIndex) -> Option<Vec<NodeIndex>> {
        if !self.contains_node(x) {
            return None;
        }
        let mut path = Vec::new();
        let mut cur = x;
        while let Some(p) = self.parent(cur) {
            path.push(p);
            cur = p;
        }
        Some(path)
    }

    /// `copath(x, n)`: the siblings of `x` and of each node of its direct path except the
    /// root, from the leaf end upwards (empty for the root); `None` for nodes outside the
    /// tree.
    pub fn copath(self, x: NodeIndex) -> Option<Vec<NodeIndex>> {
        let path = self.direct_path(x)?;
        let below_root = core::iter::once(x).chain(path.iter().copied());
        Some(below_root.filter_map(|y| self.sibling(y)).collect())
    }

    /// The lowest node that is `x` or `y` or an ancestor of both (Appendix C's common
    /// ancestor); `None` if either node is outside the tree.
    pub fn common_ancestor(self, x: NodeIndex, y: NodeIndex) -> Option<NodeIndex> {
        if !self.contains_node(x) || !self.contains_node(y) {
            return None;
        }
        let mut cur = x;
        loop {
            let (lo, hi) = cur.span();
            if (lo..=hi).contains(&u64::from(y.0)) {
                return Some(cur);
            }
            // The root spans the whole tree, so this climb ends there at the latest.
            cur = self.parent(cur)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(x: u32) -> NodeIndex {
        NodeIndex(x)
    }

    #[test]
    fn the_root_of_a_one_leaf_tree_is_its_only_leaf() {
        let t = LeafCount::new(1).unwrap();
        assert_eq!(t.node_width(), 1);
        assert_eq!(t.root(), n(0));
        assert_eq!(t.parent(n(0)), None);
        assert_eq!(t.sibling(n(0)), None);
        assert_eq!(t.direct_path(n(0)), Some(vec![]));
        assert_eq!(t.copath(n(0)), Some(vec![]));
    }

    #[test]
    fn the_eight_leaf_tree_of_appendix_c_has_the_expected_relations() {
        let t = LeafCount::new(8).unwrap();
        assert_eq!(t.node_width(), 15);
        assert_eq!(t.root(), n(7));
        assert_eq!(n(7).left(), Some(n(3)));
        assert_eq!(n(7).right(), Some(n(11)));
        assert_eq!(t.parent(n(4)), Some(n(5)));
        assert_eq!(t.parent(n(5)), Some(n(3)));
        assert_eq!(t.sibling(n(5)), Some(n(1)));
        assert_eq!(t.direct_path(n(4)), Some(vec![n(5), n(3), n(7)]));
        assert_eq!(t.copath(n(4)), Some(vec![n(6), n(1), n(11)]));
        assert_eq!(t.common_ancestor(n(0), n(6)), Some(n(3)));
        assert_eq!(t.common_ancestor(n(2), n(12)), Some(n(7)));
        assert_eq!(t.common_ancestor(n(3), n(4)), Some(n(3)));
        assert_eq!(t.common_ancestor(n(8), n(8)), Some(n(8)));
    }

    #[test]
    fn the_parent_of_the_root_is_none() {
        for d in 0..=31 {
            let t = LeafCount::new(1 << d).unwrap();
            assert_eq!(t.parent(t.root()), None, "2^{d} leaves");
            assert_eq!(t.sibling(t.root()), None, "2^{d} leaves");
        }
    }

    #[test]
    fn leaves_have_no_children() {
        assert_eq!(n(0).left(), None);
        assert_eq!(n(6).right(), None);
    }

    #[test]
    fn huge_indices_do_not_panic() {
        let big = [u32::MAX, u32::MAX - 1, 1 << 31, (1 << 31) - 1];
        for x in big {
            let _ = (n(x).left(), n(x).right(), n(x).level(), n(x).to_leaf());
            let _ = LeafIndex(x).to_node();
        }
        assert_eq!(n(u32::MAX).right(), None);
        assert_eq!(LeafIndex(1 << 31).to_node(), None);
        let biggest = LeafCount::new(LeafCount::MAX).unwrap();
        assert_eq!(biggest.node_width(), u32::MAX);
        assert_eq!(biggest.root(), n((1 << 31) - 1));
        assert_eq!(biggest.parent(n(u32::MAX)), None);
        assert_eq!(
            biggest.direct_path(n(u32::MAX - 1)).map(|p| p.len()),
            Some(31)
        );
        assert_eq!(biggest.copath(n(0)).map(|p| p.len()), Some(31));
    }

    #[test]
    fn nodes_outside_the_tree_have_no_relations() {
        let t = LeafCount::new(4).unwrap();
        assert_eq!(t.parent(n(7)), None);
        assert_eq!(t.sibling(n(9)), None);
        assert_eq!(t.direct_path(n(7)), None);
        assert_eq!(t.copath(n(100)), None);
        assert_eq!(t.common_ancestor(n(0), n(7)), None);
    }

    #[test]
    fn leaf_counts_are_powers_of_two() {
        assert_eq!(LeafCount::new(0), None);
        assert_eq!(LeafCount::new(3), None);
        assert_eq!(LeafCount::covering(0).map(LeafCount::get), Some(1));
        assert_eq!(LeafCount::covering(5).map(LeafCount::get), Some(8));
        assert_eq!(LeafCount::covering((1 << 31) + 1), None);
        assert_eq!(LeafCount::from_node_width(15).map(LeafCount::get), Some(8));
        assert_eq!(LeafCount::from_node_width(13), None);
        assert_eq!(
            LeafCount::from_node_width(u32::MAX).map(LeafCount::get),
            Some(1 << 31)
        );
    }

    #[test]
    fn a_leaf_index_is_a_big_endian_uint32() {
        assert_eq!(LeafIndex(0x0102_0304).to_bytes(), vec![1, 2, 3, 4]);
        assert_eq!(LeafIndex::from_bytes(&[0, 0, 0, 9]), Ok(LeafIndex(9)));
    }

    /// Appendix C's `parent`, `left` and `right` in plain arithmetic, for comparison.
    fn rfc_parent(x: u64, n: u64) -> Option<u64> {
        let root = n - 1;
        if x == root {
            return None;
        }
        let k = u64::from((!x).trailing_zeros());
        let b = (x >> (k + 1)) & 1;
        Some((x | (1 << k)) ^ (b << (k + 1)))
    }

    proptest::proptest! {
        #[test]
        fn relations_agree_with_appendix_c_and_with_each_other(
            d in 0u32..=31,
            x in proptest::num::u32::ANY,
            y in proptest::num::u32::ANY,
        ) {
            let t = LeafCount::new(1 << d).unwrap();
            let x = n(x % t.node_width());
            let y = n(y % t.node_width());
            let want = rfc_parent(u64::from(x.0), u64::from(t.get()));
            proptest::prop_assert_eq!(t.parent(x).map(|p| u64::from(p.0)), want);
            if let Some(p) = t.parent(x) {
                proptest::prop_assert!(p.left() == Some(x) || p.right() == Some(x));
                let s = t.sibling(x).unwrap();
                proptest::prop_assert_eq!(t.sibling(s), Some(x));
                proptest::prop_assert_eq!(t.parent(s), Some(p));
            }
            let path = t.direct_path(x).unwrap();
            let copath = t.copath(x).unwrap();
            proptest::prop_assert_eq!(path.len(), copath.len());
            proptest::prop_assert_eq!(path.len() as u32, d - x.level());
            if let Some(last) = path.last() {
                proptest::prop_assert_eq!(*last, t.root());
            }
            let a = t.common_ancestor(x, y).unwrap();
            proptest::prop_assert_eq!(t.common_ancestor(y, x), Some(a));
            for z in [x, y] {
                proptest::prop_assert!(a == z || t.direct_path(z).unwrap().contains(&a));
            }
        }
    }

    #[test]
    fn leaf_and_node_indices_convert_both_ways() {
        assert_eq!(LeafIndex(5).to_node(), Some(n(10)));
        assert_eq!(n(10).to_leaf(), Some(LeafIndex(5)));
        assert_eq!(n(11).to_leaf(), None);
    }
}
