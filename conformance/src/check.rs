//! What a runner uses to check a case: the [`Stop`] of a case that did not pass, and
//! comparisons that name the field that differs.

use mls_webapi::error::{Error, Unsupported};

/// Why a case stopped before passing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// A check failed.
    Fail(String),
    /// The case cannot be checked here (an unsupported primitive), with the reason.
    Skip(String),
}

/// The result of running one case.
pub type CaseResult = Result<(), Stop>;

/// Library errors fail the case, except `Unsupported`, which skips it with the reason.
impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        match e {
            Error::Unsupported(u @ Unsupported::Primitive { .. })
            | Error::Unsupported(u @ Unsupported::CipherSuite(_)) => Stop::Skip(u.to_string()),
            other => Stop::Fail(other.to_string()),
        }
    }
}

impl From<mls_webapi::error::DecodeError> for Stop {
    fn from(e: mls_webapi::error::DecodeError) -> Self {
        Stop::Fail(format!("decode error: {e}"))
    }
}

/// Adds what was being done to a library error: `lib(suite.foo(..), "foo")?`.
pub fn context<T, E: Into<Stop>>(r: Result<T, E>, what: &str) -> Result<T, Stop> {
    r.map_err(|e| match e.into() {
        Stop::Fail(m) => Stop::Fail(format!("{what}: {m}")),
        Stop::Skip(m) => Stop::Skip(format!("{what}: {m}")),
    })
}

/// Fails with a message.
pub fn fail<T>(msg: impl Into<String>) -> Result<T, Stop> {
    Err(Stop::Fail(msg.into()))
}

/// Checks that `got == want` for bytes, naming `field` and showing both in hex.
pub fn bytes_eq(field: &str, got: &[u8], want: &[u8]) -> CaseResult {
    if got == want {
        Ok(())
    } else {
        fail(format!(
            "{field} differs: got {}, want {}",
            short_hex(got),
            short_hex(want)
        ))
    }
}

/// Checks that `got == want` for any comparable value, naming `field`.
pub fn eq<T: PartialEq + std::fmt::Debug>(field: &str, got: T, want: T) -> CaseResult {
    if got == want {
        Ok(())
    } else {
        fail(format!("{field} differs: got {got:?}, want {want:?}"))
    }
}

/// Checks a condition, failing with `msg`.
pub fn ensure(cond: bool, msg: impl Into<String>) -> CaseResult {
    if cond { Ok(()) } else { fail(msg) }
}

/// Hex, cut to 64 characters with the full length noted.
pub fn short_hex(bytes: &[u8]) -> String {
    let h = hex::encode(bytes);
    if h.len() <= 64 {
        h
    } else {
        format!("{}… ({} bytes)", &h[..64], bytes.len())
    }
}

/// Parses one case of a vector file into the runner's own struct.
pub fn parse<T: serde::de::DeserializeOwned>(case: &serde_json::Value) -> Result<T, Stop> {
    T::deserialize(case).map_err(|e| Stop::Fail(format!("malformed test case: {e}")))
}

/// Serde helpers for the vector files' hex strings.
pub mod hex_bytes {
    use serde::{Deserialize, Deserializer};

    /// `"0a0b"` → `vec![0x0a, 0x0b]`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        hex::decode(&s).map_err(serde::de::Error::custom)
    }

    /// `null` → `None`, `"0a"` → `Some(vec![0x0a])`.
    pub mod option {
        use super::*;

        /// Deserializes an optional hex string.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
            let s = Option::<String>::deserialize(d)?;
            s.map(|s| hex::decode(&s).map_err(serde::de::Error::custom))
                .transpose()
        }
    }
}
