//! Runner for `tree-math.json`: array-based tree arithmetic (RFC 9420 Appendix C).
//!
//! For a tree of `n_leaves` leaves, checks the node count, the root, and the left child,
//! right child, parent and sibling of every node (null where there is none).

use mls_webapi::tree_math::{LeafCount, NodeIndex};
use serde::Deserialize;

use crate::check::{CaseResult, eq, fail, parse};

#[derive(Deserialize)]
struct Case {
    n_leaves: u32,
    n_nodes: u32,
    root: u32,
    left: Vec<Option<u32>>,
    right: Vec<Option<u32>>,
    parent: Vec<Option<u32>>,
    sibling: Vec<Option<u32>>,
}

/// Checks one case.
pub fn run(case: &serde_json::Value) -> CaseResult {
    let case: Case = parse(case)?;
    let Some(tree) = LeafCount::new(case.n_leaves) else {
        return fail(format!("n_leaves {} is not a power of two", case.n_leaves));
    };
    eq("n_nodes", tree.node_width(), case.n_nodes)?;
    eq("root", tree.root().0, case.root)?;

    let index = |x: Option<NodeIndex>| x.map(|n| n.0);
    let width = tree.node_width() as usize;
    for (name, list) in [
        ("left", &case.left),
        ("right", &case.right),
        ("parent", &case.parent),
        ("sibling", &case.sibling),
    ] {
        eq(&format!("{name}.len()"), list.len(), width)?;
    }
    for i in 0..tree.node_width() {
        let x = NodeIndex(i);
        let at = i as usize;
        eq(&format!("left[{i}]"), index(x.left()), case.left[at])?;
        eq(&format!("right[{i}]"), index(x.right()), case.right[at])?;
        eq(
            &format!("parent[{i}]"),
            index(tree.parent(x)),
            case.parent[at],
        )?;
        eq(
            &format!("sibling[{i}]"),
            index(tree.sibling(x)),
            case.sibling[at],
        )?;
    }
    Ok(())
}
