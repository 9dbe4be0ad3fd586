//! Combining pre-shared keys into the key schedule's `psk_secret` (RFC 9420 §8.4).
//!
//! ```text
//! struct {
//!     PreSharedKeyID id;
//!     uint16 index;
//!     uint16 count;
//! } PSKLabel;
//!
//! psk_extracted_[i] = KDF.Extract(0, psk_[i])
//! psk_input_[i] = ExpandWithLabel(psk_extracted_[i], "derived psk", PSKLabel, KDF.Nh)
//!
//! psk_secret_[0] = 0
//! psk_secret_[i] = KDF.Extract(psk_input_[i-1], psk_secret_[i-1])
//! psk_secret     = psk_secret_[n]
//! ```
//!
//! `0` is `KDF.Nh` zero bytes, so with no PSKs `psk_secret` is all zeros.
//!
//! The functions here take each PSK's `PreSharedKeyID` already encoded, so that they work
//! for every PSK type and do not depend on how the ID is held in memory.

use crate::codec::Codec;
use crate::crypto::{CipherSuite, Secret};
use crate::error::{Error, ProtocolViolation};
use crate::messages::PreSharedKeyId;

/// One PSK to inject: its encoded `PreSharedKeyID` and the key itself.
#[derive(Debug, Clone, Copy)]
pub struct PskInput<'a> {
    /// The TLS encoding of the `PreSharedKeyID` (§8.4) naming the PSK.
    pub id: &'a [u8],
    /// The PSK: an external key, or the `resumption_psk` of the epoch the ID names.
    pub psk: &'a Secret,
}

/// The encoding of `PSKLabel` (§8.4) for the PSK with encoded ID `id`, at `index` of
/// `count`.
fn psk_label(id: &[u8], index: u16, count: u16) -> Vec<u8> {
    let mut out = Vec::with_capacity(id.len() + 4);
    out.extend_from_slice(id);
    index.encode(&mut out);
    count.encode(&mut out);
    out
}

/// `psk_secret` for the PSKs of a Commit or a Welcome's GroupSecrets, in the order they
/// are listed (§8.4). No PSKs give `KDF.Nh` zero bytes.
///
/// Fails if there are more than 65535 PSKs (`count` is a `uint16`).
pub fn psk_secret(suite: &CipherSuite, psks: &[PskInput<'_>]) -> Result<Secret, Error> {
    let nh = suite.hash_len();
    let count = u16::try_from(psks.len()).map_err(|_| ProtocolViolation::Rule {
        section: "8.4",
        rule: "more PSKs than PSKLabel.count can hold",
    })?;
    let zero = Secret::zero(nh);
    let mut secret = Secret::zero(nh);
    for (index, input) in (0..count).zip(psks) {
        let extracted = suite.extract(zero.as_bytes(), input.psk.as_bytes());
        let label = psk_label(input.id, index, count);
        let psk_input =
            suite.expand_with_label(extracted.as_bytes(), b"derived psk", &label, nh)?;
        secret = suite.extract(psk_input.as_bytes(), secret.as_bytes());
    }
    Ok(secret)
}

/// `psk_secret` (§8.4) of the PSKs `ids`, in their order: the one loop behind a commit's
/// PSKs (a member's, [`crate::group::Group::psk_secret`], or an external joiner's) and a
/// Welcome's.
/// `value_of` gives the value of the PSK at an index, or the error for one that is not
/// available (or otherwise unusable); the first error is returned.
pub(crate) fn psk_secret_of(
    suite: &CipherSuite,
    ids: &[PreSharedKeyId],
    value_of: impl Fn(usize, &PreSharedKeyId) -> Result<Secret, Error>,
) -> Result<Secret, Error> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn suite() -> CipherSuite {
        CipherSuite::new(1).unwrap()
    }

    #[test]
    fn no_psks_give_an_all_zero_secret() {
        for s in CipherSuite::all() {
            let got = psk_secret(&s, &[]).unwrap();
            assert_eq!(got.as_bytes(), vec![0; s.hash_len()]);
        }
    }

    #[test]
    fn one_psk_follows_the_formula_of_section_8_4() {
        let s = suite();
        let psk = Secret::new(vec![5; 32]);
        let id = [1, 2, 0xaa, 0xbb, 0];
        let extracted = s.extract(&[0; 32], psk.as_bytes());
        let label = [&id[..], &[0, 0, 0, 1]].concat();
        let input = s
            .expand_with_label(extracted.as_bytes(), b"derived psk", &label, 32)
            .unwrap();
        let want = s.extract(input.as_bytes(), &[0; 32]);
        let got = psk_secret(&s, &[PskInput { id: &id, psk: &psk }]).unwrap();
        assert_eq!(got.as_bytes(), want.as_bytes());
    }

    #[test]
    fn the_order_of_the_psks_matters() {
        let s = suite();
        let (a, b) = (Secret::new(vec![1; 32]), Secret::new(vec![2; 32]));
        let pa = PskInput { id: b"a", psk: &a };
        let pb = PskInput { id: b"b", psk: &b };
        let ab = psk_secret(&s, &[pa, pb]).unwrap();
        let ba = psk_secret(&s, &[pb, pa]).unwrap();
        assert_ne!(ab.as_bytes(), ba.as_bytes());
    }

    #[test]
    fn the_same_key_under_another_id_gives_another_secret() {
        let s = suite();
        let k = Secret::new(vec![1; 32]);
        let one = psk_secret(&s, &[PskInput { id: b"x", psk: &k }]).unwrap();
        let two = psk_secret(&s, &[PskInput { id: b"y", psk: &k }]).unwrap();
        assert_ne!(one.as_bytes(), two.as_bytes());
    }
}
