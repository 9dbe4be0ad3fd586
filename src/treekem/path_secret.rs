//! The derivations of TreeKEM (RFC 9420 §7.4):
//!
//! ```text
//! path_secret[0] is sampled at random
//! path_secret[n] = DeriveSecret(path_secret[n-1], "path")
//!
//! node_secret[n] = DeriveSecret(path_secret[n], "node")
//! node_priv[n], node_pub[n] = KEM.DeriveKeyPair(node_secret[n])
//! ```
//!
//! and of §12.4.1: "Define `commit_secret` as the value `path_secret[n+1]` derived from
//! the last path secret value (`path_secret[n]`) derived for the UpdatePath."

use crate::crypto::{CipherSuite, HpkePrivateKey, HpkePublicKey, Secret};
use crate::error::Result;

/// `path_secret[n+1] = DeriveSecret(path_secret[n], "path")`: the path secret of the next
/// node up the filtered direct path, or the `commit_secret` after the root.
pub fn next_path_secret(suite: &CipherSuite, path_secret: &Secret) -> Result<Secret> {
    suite.derive_secret(path_secret.as_bytes(), b"path")
}

/// The key pair of the node whose path secret is `path_secret`:
/// `KEM.DeriveKeyPair(DeriveSecret(path_secret, "node"))`.
pub fn node_key_pair(
    suite: &CipherSuite,
    path_secret: &Secret,
) -> Result<(HpkePrivateKey, HpkePublicKey)> {
    let node_secret = suite.derive_secret(path_secret.as_bytes(), b"node")?;
    suite.hpke_derive_key_pair(node_secret.as_bytes())
}

/// The path secrets of `count` consecutive nodes starting with `first`, followed by the
/// secret after the last of them (the `commit_secret` when the nodes reach the root).
/// Returns `(path_secrets, next)`.
pub fn path_secrets(
    suite: &CipherSuite,
    first: Secret,
    count: usize,
) -> Result<(Vec<Secret>, Secret)> {
    let mut secrets = Vec::with_capacity(count);
    let mut current = first;
    for _ in 0..count {
        let next = next_path_secret(suite, &current)?;
        secrets.push(current);
        current = next;
    }
    Ok((secrets, current))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suite() -> CipherSuite {
        CipherSuite::new(1).unwrap()
    }

    #[test]
    fn each_path_secret_is_derived_from_the_one_below() {
        let s = suite();
        let first = Secret::new(vec![7; 32]);
        let (secrets, commit) = path_secrets(&s, first.clone(), 3).unwrap();
        assert_eq!(secrets[0].as_bytes(), first.as_bytes());
        let second = s.derive_secret(first.as_bytes(), b"path").unwrap();
        assert_eq!(secrets[1].as_bytes(), second.as_bytes());
        let fourth = next_path_secret(&s, &secrets[2]).unwrap();
        assert_eq!(commit.as_bytes(), fourth.as_bytes());
    }

    #[test]
    fn with_no_nodes_the_next_secret_is_the_first_itself() {
        let s = suite();
        let first = Secret::new(vec![7; 32]);
        let (secrets, next) = path_secrets(&s, first.clone(), 0).unwrap();
        assert!(secrets.is_empty());
        assert_eq!(next.as_bytes(), first.as_bytes());
    }

    #[test]
    fn the_node_key_pair_comes_from_the_node_secret_not_the_path_secret() {
        let s = suite();
        let path = Secret::new(vec![1; 32]);
        let node = s.derive_secret(path.as_bytes(), b"node").unwrap();
        let (_, public) = node_key_pair(&s, &path).unwrap();
        let (_, want) = s.hpke_derive_key_pair(node.as_bytes()).unwrap();
        assert_eq!(public, want);
        let (_, direct) = s.hpke_derive_key_pair(path.as_bytes()).unwrap();
        assert_ne!(public, direct);
    }
}
