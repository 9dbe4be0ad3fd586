//! What one engine said about one input at one level, and how a panic inside an engine is
//! turned into a verdict instead of ending the run.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The two validation levels at which inputs are judged (see the module docs of
/// [`crate::differential`] for exactly what each engine runs at each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// A strict decode of the whole input as its structure; trailing bytes are rejected.
    Decode,
    /// The decode, then the checks the engine applies to that structure on its own,
    /// before any group state exists.
    Message,
}

impl Level {
    /// Both levels, in the order they are run.
    pub const ALL: [Level; 2] = [Level::Decode, Level::Message];

    /// `"decode"` or `"message"`, as written in the expectations file.
    pub fn name(self) -> &'static str {
        match self {
            Level::Decode => "decode",
            Level::Message => "message",
        }
    }

    /// The level named `name`, if any.
    pub fn from_name(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.name() == name)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// One engine's verdict on one input at one level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The engine accepted the input.
    Accepted,
    /// The engine rejected the input; the text is the engine's error.
    Rejected(String),
    /// The engine panicked; the text is the panic message. This is always a finding.
    Panicked(String),
    /// The engine cannot judge this input: it exposes no decoder for the structure, or it
    /// lacks the (registered) cipher suite the input names. Left out of comparisons.
    NotApplicable(String),
}

/// The part of a verdict that engines are compared on: the error texts differ between
/// engines by nature, whether they accept does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// [`Verdict::Accepted`].
    Accept,
    /// [`Verdict::Rejected`].
    Reject,
    /// [`Verdict::Panicked`].
    Panic,
}

impl Verdict {
    /// `Ok` becomes [`Verdict::Accepted`], an error its `Debug` text in
    /// [`Verdict::Rejected`] (the `Debug` form names the exact error variant).
    pub fn of<T, E: fmt::Debug>(result: Result<T, E>) -> Verdict {
        match result {
            Ok(_) => Verdict::Accepted,
            Err(e) => Verdict::Rejected(format!("{e:?}")),
        }
    }

    /// What the verdict is compared on; `None` for [`Verdict::NotApplicable`].
    pub fn class(&self) -> Option<Class> {
        match self {
            Verdict::Accepted => Some(Class::Accept),
            Verdict::Rejected(_) => Some(Class::Reject),
            Verdict::Panicked(_) => Some(Class::Panic),
            Verdict::NotApplicable(_) => None,
        }
    }

    /// True for [`Verdict::Accepted`].
    pub fn is_accepted(&self) -> bool {
        *self == Verdict::Accepted
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Accepted => f.write_str("accepted"),
            Verdict::Rejected(why) => write!(f, "rejected: {why}"),
            Verdict::Panicked(why) => write!(f, "panicked: {why}"),
            Verdict::NotApplicable(why) => write!(f, "not applicable: {why}"),
        }
    }
}

/// Runs `judge`; a panic inside it becomes [`Verdict::Panicked`] with the panic message.
///
/// The default panic hook still prints the panic to stderr, which is wanted: a peer
/// decoder that panics on a mutated input is worth seeing in the log.
pub fn guarded(judge: impl FnOnce() -> Verdict) -> Verdict {
    match catch_unwind(AssertUnwindSafe(judge)) {
        Ok(verdict) => verdict,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".into());
            Verdict::Panicked(message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_a_judge_becomes_a_panicked_verdict() {
        let verdict = guarded(|| panic!("index out of bounds"));
        assert_eq!(verdict, Verdict::Panicked("index out of bounds".into()));
    }

    #[test]
    fn results_map_to_accepted_or_rejected_with_the_debug_text() {
        assert_eq!(Verdict::of::<(), &str>(Ok(())), Verdict::Accepted);
        assert_eq!(
            Verdict::of::<(), &str>(Err("short")),
            Verdict::Rejected("\"short\"".into())
        );
    }

    #[test]
    fn not_applicable_verdicts_have_no_class() {
        assert_eq!(Verdict::NotApplicable("no decoder".into()).class(), None);
        assert_eq!(Verdict::Accepted.class(), Some(Class::Accept));
    }

    #[test]
    fn levels_round_trip_through_their_names() {
        for level in Level::ALL {
            assert_eq!(Level::from_name(level.name()), Some(level));
        }
        assert_eq!(Level::from_name("group"), None);
    }
}
