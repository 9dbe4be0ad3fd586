//! The three engines, each behind one small trait: given an input and a level, a
//! [`Verdict`].

pub mod mls_rs;
pub mod openmls;
pub mod ours;

use super::inputs::Input;
use super::structure::Structure;
use super::verdict::{Level, Verdict};

/// An engine whose decoders (and structure-level checks) can be asked about bytes.
pub trait DecodingEngine {
    /// `"ours"`, `"openmls"` or `"mls-rs"`.
    fn name(&self) -> &'static str;

    /// The engine's verdict on `input` at `level`. May panic; callers guard it.
    fn judge(&self, input: &Input, level: Level) -> Verdict;
}

/// The engine names, in the order of [`all`].
pub const NAMES: [&str; 3] = ["ours", "openmls", "mls-rs"];

/// Every engine, in the order of [`NAMES`].
pub fn all() -> Vec<Box<dyn DecodingEngine>> {
    vec![
        Box::new(ours::Ours),
        Box::new(openmls::OpenMls::default()),
        mls_rs::engine(),
    ]
}

/// The cipher suites RFC 9420 registers (§17.1): 0x0001 to 0x0007.
const REGISTERED_SUITES: std::ops::RangeInclusive<u16> = 1..=7;

/// For an engine that does not implement suite `id`: why its verdict is "not applicable"
/// when the suite is a registered one, or `None` when the suite is unregistered (then
/// rejecting it is a real verdict).
pub fn unsupported_suite(id: u16) -> Option<String> {
    REGISTERED_SUITES
        .contains(&id)
        .then(|| format!("cipher suite {id:#06x} is not implemented by this engine's provider"))
}

/// The `cipher_suite` of the KeyPackage an input holds, read at its fixed offset: an
/// MLSMessage `[version, wire_format = 5, version, cipher_suite, ..]` or an Add body
/// `[version, cipher_suite, ..]`. `None` for anything else.
pub fn key_package_suite(input: &Input) -> Option<u16> {
    let b = &input.bytes;
    let at = match input.structure {
        Structure::MlsMessage if b.get(2..4) == Some(&[0, 5]) => 6,
        Structure::Add => 2,
        _ => return None,
    };
    b.get(at..at + 2).map(|s| u16::from_be_bytes([s[0], s[1]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engines_are_listed_in_the_order_of_their_names() {
        let names: Vec<&str> = all().iter().map(|e| e.name()).collect();
        assert_eq!(names, NAMES);
    }

    #[test]
    fn only_a_registered_suite_can_be_not_applicable() {
        assert!(unsupported_suite(7).is_some());
        assert!(unsupported_suite(0x0a0a).is_none());
    }

    #[test]
    fn the_suite_of_a_key_package_is_read_where_the_structure_puts_it() {
        let message = Input {
            id: "x".into(),
            structure: Structure::MlsMessage,
            bytes: vec![0, 1, 0, 5, 0, 1, 0, 3, 0x20],
        };
        assert_eq!(key_package_suite(&message), Some(3));
        let add = Input {
            structure: Structure::Add,
            bytes: vec![0, 1, 0, 2],
            ..message.clone()
        };
        assert_eq!(key_package_suite(&add), Some(2));
        let welcome = Input {
            bytes: vec![0, 1, 0, 3, 0, 1],
            ..message
        };
        assert_eq!(key_package_suite(&welcome), None);
    }
}
