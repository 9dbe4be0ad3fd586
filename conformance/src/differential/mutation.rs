//! Deterministic mutations of an input. Each mutant's id is the input's id plus a suffix
//! that says what was done, so a mutant is named the same in every run:
//!
//! | Suffix | Mutant |
//! |---|---|
//! | `#cut@N` | only the first `N` bytes (for `N` = 1, half the length, length − 1) |
//! | `#append` | one `0x00` byte appended |
//! | `#flip@N` | byte `N` XORed with a non-zero mask; three positions per input |
//! | `#varint@N` | the variable-length header at `N` re-encoded one size larger (§2.1.2 forbids this) |
//!
//! Flip positions and masks come from a small PRNG seeded with a hash of the input's id,
//! so they change only when the id does.

use super::inputs::Input;

/// How many bytes of each input are flipped.
const FLIPS: usize = 3;

/// The mutants of `input`, in a fixed order, without duplicates.
pub fn mutants(input: &Input) -> Vec<Input> {
    let bytes = &input.bytes;
    let len = bytes.len();
    let mut out = Vec::new();
    let mut push = |suffix: String, bytes: Vec<u8>| {
        let id = format!("{}#{suffix}", input.id);
        if !out.iter().any(|m: &Input| m.id == id) {
            out.push(Input {
                id,
                structure: input.structure,
                bytes,
            });
        }
    };

    for cut in [1, len / 2, len.saturating_sub(1)] {
        if cut < len {
            push(format!("cut@{cut}"), bytes[..cut].to_vec());
        }
    }

    let mut appended = bytes.clone();
    appended.push(0);
    push("append".into(), appended);

    let mut rng = SplitMix64::seeded_by(&input.id);
    for (at, mask) in flip_positions(&mut rng, len) {
        let mut flipped = bytes.clone();
        flipped[at] ^= mask;
        push(format!("flip@{at}"), flipped);
    }

    if let Some(at) = input.structure.first_vector_header(bytes)
        && let Some(widened) = widen_varint(bytes, at)
    {
        push(format!("varint@{at}"), widened);
    }
    out
}

/// Up to [`FLIPS`] distinct positions in `0..len`, each with a non-zero XOR mask.
fn flip_positions(rng: &mut SplitMix64, len: usize) -> Vec<(usize, u8)> {
    let mut out: Vec<(usize, u8)> = Vec::new();
    if len == 0 {
        return out;
    }
    while out.len() < FLIPS.min(len) {
        let at = (rng.next() % len as u64) as usize;
        // A mask in 1..=255.
        let mask = (rng.next() % 255) as u8 + 1;
        if !out.iter().any(|&(a, _)| a == at) {
            out.push((at, mask));
        }
    }
    out
}

/// `bytes` with the variable-length integer at `at` written one size larger than it is:
/// a 1-byte header as 2 bytes, a 2-byte header as 4. A 4-byte header (or a reserved
/// prefix) cannot be widened.
pub fn widen_varint(bytes: &[u8], at: usize) -> Option<Vec<u8>> {
    let first = *bytes.get(at)?;
    let (old_len, new_header): (usize, Vec<u8>) = match first >> 6 {
        0b00 => (1, vec![0x40, first & 0x3f]),
        0b01 => {
            let second = *bytes.get(at + 1)?;
            (2, vec![0x80, 0x00, first & 0x3f, second])
        }
        _ => return None,
    };
    let mut out = Vec::with_capacity(bytes.len() + new_header.len() - old_len);
    out.extend_from_slice(&bytes[..at]);
    out.extend_from_slice(&new_header);
    out.extend_from_slice(&bytes[at + old_len..]);
    Some(out)
}

/// The SplitMix64 generator: tiny, and all that is needed to spread a few positions.
struct SplitMix64(u64);

impl SplitMix64 {
    /// Seeded with the 64-bit FNV-1a hash of `id`.
    fn seeded_by(id: &str) -> Self {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in id.bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        SplitMix64(hash)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::differential::structure::Structure;

    fn input(bytes: &[u8]) -> Input {
        Input {
            id: "t/-/0/commit".into(),
            structure: Structure::Commit,
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn mutants_are_the_same_in_every_run() {
        let a = mutants(&input(&[1, 2, 3, 4, 5, 6, 7, 8]));
        let b = mutants(&input(&[1, 2, 3, 4, 5, 6, 7, 8]));
        assert_eq!(a, b);
    }

    #[test]
    fn an_eight_byte_input_gets_three_cuts_an_append_three_flips_and_a_wider_header() {
        let ids: Vec<String> = mutants(&input(&[2, 0xaa, 0xbb, 4, 5, 6, 7, 8]))
            .into_iter()
            .map(|m| m.id.trim_start_matches("t/-/0/commit#").to_string())
            .collect();
        assert_eq!(&ids[..4], ["cut@1", "cut@4", "cut@7", "append"]);
        assert_eq!(ids.iter().filter(|s| s.starts_with("flip@")).count(), 3);
        assert_eq!(ids.last().map(String::as_str), Some("varint@0"));
    }

    #[test]
    fn a_one_byte_input_is_cut_to_nothing_once() {
        let cuts: Vec<Input> = mutants(&input(&[0]))
            .into_iter()
            .filter(|m| m.id.contains("#cut@"))
            .collect();
        assert_eq!(cuts.len(), 1);
        assert!(cuts[0].bytes.is_empty());
    }

    #[test]
    fn a_flip_changes_exactly_one_byte() {
        let original = input(&[9; 40]);
        for m in mutants(&original)
            .iter()
            .filter(|m| m.id.contains("#flip@"))
        {
            let changed = m
                .bytes
                .iter()
                .zip(&original.bytes)
                .filter(|(a, b)| a != b)
                .count();
            assert_eq!(changed, 1, "{}", m.id);
        }
    }

    #[test]
    fn widening_keeps_the_value_and_grows_the_header() {
        assert_eq!(widen_varint(&[0x05, 0xee], 0), Some(vec![0x40, 0x05, 0xee]));
        assert_eq!(
            widen_varint(&[0x41, 0x00], 0),
            Some(vec![0x80, 0x00, 0x01, 0x00])
        );
        assert_eq!(widen_varint(&[0x80, 0, 0x40, 0], 0), None);
    }
}
