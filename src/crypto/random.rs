//! The one source of randomness of the crate, injectable so that tests and fuzzing are
//! deterministic.
//!
//! Drawing randomness can fail (the operating system's source may be unavailable). A
//! failure is an error value, [`RandomError`], never a panic: no key, nonce or id is made
//! from it, and the Web API reports it as an `UnknownError` (spec §3.5).

use core::convert::Infallible;
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng, TryCryptoRng, TryRng};
use zeroize::Zeroizing;

use crate::error::{CryptoError, Error};

/// The random source failed to give bytes. Carries nothing of what was drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the random source failed")]
pub struct RandomError;

impl From<RandomError> for Error {
    fn from(_: RandomError) -> Self {
        CryptoError::RandomFailed.into()
    }
}

/// A source of random bytes.
pub trait Random {
    /// Fills `dest` with random bytes, or fails with [`RandomError`] (and then `dest`
    /// must not be used).
    fn try_fill(&mut self, dest: &mut [u8]) -> Result<(), RandomError>;

    /// `n` random bytes.
    fn bytes(&mut self, n: usize) -> Result<Vec<u8>, RandomError> {
        let mut out = vec![0; n];
        self.try_fill(&mut out)?;
        Ok(out)
    }
}

/// The operating system's random source.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsRandom;

impl Random for OsRandom {
    fn try_fill(&mut self, dest: &mut [u8]) -> Result<(), RandomError> {
        getrandom::fill(dest).map_err(|_| RandomError)
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
    fn try_fill(&mut self, dest: &mut [u8]) -> Result<(), RandomError> {
        self.0.fill_bytes(dest);
        Ok(())
    }
}

/// Presents a [`Random`] to crates that take a fallible `rand_core` `TryCryptoRng`
/// (ECDSA key generation): a failure of the source is their error.
pub(crate) struct RngAdapter<'a>(pub &'a mut dyn Random);

impl TryRng for RngAdapter<'_> {
    type Error = RandomError;

    fn try_next_u32(&mut self) -> Result<u32, RandomError> {
        let mut b = [0; 4];
        self.0.try_fill(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, RandomError> {
        let mut b = [0; 8];
        self.0.try_fill(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), RandomError> {
        self.0.try_fill(dst)
    }
}

impl TryCryptoRng for RngAdapter<'_> {}

/// Random bytes drawn in advance from a [`Random`], for crates that take an infallible
/// `CryptoRng` (HPKE encapsulation, which draws exactly `Nsk` bytes once, RFC 9180
/// §4.1). Drawing fails before the crate is called; if the crate asks for more than was
/// drawn, it gets zeros and [`Self::finish`] reports the overrun, so that the result is
/// discarded.
pub(crate) struct Prefetched {
    bytes: Zeroizing<Vec<u8>>,
    used: usize,
    overrun: bool,
}

impl Prefetched {
    /// `n` bytes from `rng`.
    pub(crate) fn draw(rng: &mut dyn Random, n: usize) -> Result<Self, RandomError> {
        Ok(Prefetched {
            bytes: Zeroizing::new(rng.bytes(n)?),
            used: 0,
            overrun: false,
        })
    }

    /// Fails if more bytes were asked for than were drawn.
    pub(crate) fn finish(self) -> Result<(), Error> {
        if self.overrun {
            return Err(CryptoError::RandomFailed.into());
        }
        Ok(())
    }
}

impl TryRng for Prefetched {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut b = [0; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut b = [0; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        let available = &self.bytes[self.used..];
        if dst.len() > available.len() {
            self.overrun = true;
            dst.fill(0);
        } else {
            dst.copy_from_slice(&available[..dst.len()]);
            self.used += dst.len();
        }
        Ok(())
    }
}

impl TryCryptoRng for Prefetched {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source that always fails, as an operating system without randomness would.
    struct Failing;

    impl Random for Failing {
        fn try_fill(&mut self, _: &mut [u8]) -> Result<(), RandomError> {
            Err(RandomError)
        }
    }

    #[test]
    fn a_failing_source_is_an_error_not_a_panic() {
        assert_eq!(Failing.bytes(32), Err(RandomError));
        let error: Error = RandomError.into();
        assert_eq!(error, Error::Crypto(CryptoError::RandomFailed));
    }

    #[test]
    fn prefetched_bytes_are_served_once_and_an_overrun_is_reported() {
        let mut rng = SeededRandom::new(1);
        let expected = SeededRandom::new(1).bytes(8).unwrap();
        let mut pre = Prefetched::draw(&mut rng, 8).unwrap();
        let mut got = [0; 8];
        pre.try_fill_bytes(&mut got).unwrap();
        assert_eq!(got.to_vec(), expected);
        assert!(Prefetched::draw(&mut rng, 8).unwrap().finish().is_ok());
        pre.try_fill_bytes(&mut got).unwrap();
        assert!(pre.finish().is_err());
    }
}
