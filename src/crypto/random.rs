//! The one source of randomness of the crate, injectable so that tests and fuzzing are
//! deterministic.

use core::convert::Infallible;
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng, TryCryptoRng, TryRng};

/// A source of random bytes.
pub trait Random {
    /// Fills `dest` with random bytes.
    fn fill(&mut self, dest: &mut [u8]);

    /// `n` random bytes.
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = vec![0; n];
        self.fill(&mut out);
        out
    }
}

/// The operating system's random source.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsRandom;

impl Random for OsRandom {
    fn fill(&mut self, dest: &mut [u8]) {
        // Not peer data: if the OS cannot give randomness, no key may be made at all.
        getrandom::fill(dest).expect("the operating system's random source failed");
    }
}

/// A deterministic source (ChaCha20 from a seed), for tests and fuzzing only.
#[derive(Debug, Clone)]
pub struct SeededRandom(ChaCha20Rng);

impl SeededRandom {
    /// A source that always yields the same bytes for the same seed.
    pub fn new(seed: u64) -> Self {
        SeededRandom(ChaCha20Rng::seed_from_u64(seed))
    }
}

impl Random for SeededRandom {
    fn fill(&mut self, dest: &mut [u8]) {
        self.0.fill_bytes(dest);
    }
}

/// Presents a [`Random`] to crates that take a `rand_core` `CryptoRng`.
pub(crate) struct RngAdapter<'a>(pub &'a mut dyn Random);

impl TryRng for RngAdapter<'_> {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut b = [0; 4];
        self.0.fill(&mut b);
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut b = [0; 8];
        self.0.fill(&mut b);
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.0.fill(dst);
        Ok(())
    }
}

impl TryCryptoRng for RngAdapter<'_> {}
