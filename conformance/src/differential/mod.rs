//! Decoding differential: the same bytes judged by all three engines (ours, OpenMLS 0.9,
//! mls-rs 0.57), and every input on which they do not agree.
//!
//! # Levels
//!
//! Each input is judged at two levels. A verdict is *accepted*, *rejected* (with the
//! engine's error), *panicked* (always a finding), or *not applicable* (the engine
//! exposes no decoder for the structure, or lacks a registered cipher suite that the
//! check needs; such verdicts are left out of the comparison).
//!
//! **`decode`**: a strict decode of the whole input as its structure. Bytes left over
//! after the structure are a rejection for every engine:
//!
//! | Structure | ours (`Codec::from_bytes`) | OpenMLS (`tls_deserialize_exact`) | mls-rs (`mls_decode_exhaustive`) |
//! |---|---|---|---|
//! | MLSMessage | `MlsMessage` | `MlsMessageIn` | `MlsMessage` |
//! | ratchet tree | `RatchetTreeNodes` | `RatchetTreeIn` | `ExportedTree` |
//! | Add / Update body | `Add` / `Update` | `AddProposalIn` / `UpdateProposalIn` | `AddProposal` / `UpdateProposal` |
//! | Remove / PreSharedKey / ReInit / ExternalInit body | `Remove` / `PreSharedKey` / `ReInit` / `ExternalInit` | `RemoveProposal` / `PreSharedKeyProposal` / `ReInitProposal` / `ExternalInitProposal` | `RemoveProposal` / `PreSharedKeyProposal` / `ReInitProposal` / `ExternalInit` |
//! | GroupContextExtensions body | `GroupContextExtensions` | `GroupContextExtensionProposalIn` | `ExtensionList` |
//! | GroupSecrets, Commit | `GroupSecrets`, `Commit` | not applicable (crate-private) | not applicable (crate-private) |
//!
//! **`message`**: the decode, then the checks the engine applies to that structure on its
//! own, before any group state exists (no GroupContext, no tree, no private keys).
//! Lifetimes are outside this level: the vectors' lifetimes have long expired, and a
//! lifetime is judged against a clock, not against the bytes.
//!
//! | Structure | ours | OpenMLS | mls-rs |
//! |---|---|---|---|
//! | KeyPackage (in an MLSMessage, or the body of an Add) | §10.1 by the library's own validator, `mls_webapi::group::validate_key_package` (see [`engines::ours`]), for the key package's suite and mls10: version and suite, leaf valid for a KeyPackage (§7.3) and signed, KeyPackage extensions unique and in the capabilities, KeyPackage signature, `init_key` ≠ `encryption_key` | `KeyPackageIn::validate(crypto, Mls10)`; its final lifetime error counts as acceptance | `ExternalClient::validate_key_package` with an identity provider that accepts any credential, the clock at the key package's own `not_after` |
//! | PublicMessage | `check_content_rules` (§6: no application data in a PublicMessage; sender and content type agree) | nothing without a group | nothing without a group |
//! | ratchet tree | `RatchetTree::from_nodes` (§12.4.3.3: non-blank last node, odd length, node types at their positions) | nothing without a group | nothing without a group |
//! | anything else | nothing more | nothing more | nothing more |
//!
//! Where an engine has nothing more to check, its message verdict is its decode verdict.
//!
//! # Inputs and disagreements
//!
//! The inputs are every standalone structure of the vector files ([`inputs`]),
//! deterministic mutants of a fixed sample of them ([`mutation`]), and the messages of a
//! short scripted run of the peer engines ([`peer_inputs`]). A *disagreement* is an
//! input and level on which the engines that could judge it do not all accept or all
//! reject, or on which any engine panicked. [`disagreements`] lists them; the test
//! `tests/decoding_differential.rs` compares the list with the reviewed
//! `conformance/decoding-expectations.toml` ([`expectations`]).

pub mod engines;
pub mod expectations;
pub mod inputs;
pub mod mutation;
pub mod peer_inputs;
pub mod structure;
pub mod verdict;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use engines::DecodingEngine;
use inputs::Input;
use structure::Structure;
use verdict::{Class, Level, Verdict, guarded};

/// One input and level on which the engines do not agree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    /// The input's id, e.g. `messages/-/17/remove_proposal#flip@2`.
    pub id: String,
    /// The level.
    pub level: Level,
    /// The structure the input was decoded as.
    pub structure: Structure,
    /// Each engine's verdict, in the order of [`engines::NAMES`].
    pub verdicts: Vec<(&'static str, Verdict)>,
}

impl Disagreement {
    /// The engines that accepted.
    pub fn accepted_by(&self) -> BTreeSet<&'static str> {
        self.engines_with(Class::Accept)
    }

    /// The engines that panicked.
    pub fn panicked_by(&self) -> BTreeSet<&'static str> {
        self.engines_with(Class::Panic)
    }

    fn engines_with(&self, class: Class) -> BTreeSet<&'static str> {
        self.verdicts
            .iter()
            .filter(|(_, v)| v.class() == Some(class))
            .map(|(name, _)| *name)
            .collect()
    }
}

impl fmt::Display for Disagreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({})", self.level, self.id, self.structure)?;
        for (name, verdict) in &self.verdicts {
            write!(f, "\n    {name}: {verdict}")?;
        }
        Ok(())
    }
}

/// The outcome of a whole differential run.
#[derive(Debug, Clone)]
pub struct Run {
    /// Inputs taken from the vector files as they are.
    pub vector_inputs: usize,
    /// Mutants of the sampled inputs.
    pub mutants: usize,
    /// Messages of the scripted peer run.
    pub peer_inputs: usize,
    /// Verdicts asked for: inputs × engines × levels.
    pub verdicts: usize,
    /// How each engine's verdicts fell, per level.
    pub tally: BTreeMap<(Level, &'static str), Tally>,
    /// The disagreements, in input order, decode level before message level.
    pub disagreements: Vec<Disagreement>,
}

/// How many verdicts of one engine at one level fell each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Accepted.
    pub accepted: usize,
    /// Rejected.
    pub rejected: usize,
    /// Panicked.
    pub panicked: usize,
    /// Not applicable.
    pub not_applicable: usize,
}

impl Tally {
    fn count(&mut self, verdict: &Verdict) {
        match verdict.class() {
            Some(Class::Accept) => self.accepted += 1,
            Some(Class::Reject) => self.rejected += 1,
            Some(Class::Panic) => self.panicked += 1,
            None => self.not_applicable += 1,
        }
    }
}

/// The inputs of a run, by origin.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// Every standalone structure of the vector files, as it is.
    pub vectors: Vec<Input>,
    /// The mutants of the sampled vector inputs.
    pub mutants: Vec<Input>,
    /// The messages of the scripted peer run.
    pub peers: Vec<Input>,
}

impl Inputs {
    /// All inputs, in the order they are judged.
    pub fn iter(&self) -> impl Iterator<Item = &Input> {
        self.vectors.iter().chain(&self.mutants).chain(&self.peers)
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.vectors.len() + self.mutants.len() + self.peers.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The inputs from the vector files in `dir`, the mutants of the sample, and the
/// messages of a scripted peer run.
pub fn collect_inputs(dir: &Path) -> Result<Inputs, String> {
    let found = inputs::from_vector_dir(dir)?;
    let mutants = found
        .iter()
        .filter(|v| v.sampled)
        .flat_map(|v| mutation::mutants(&v.input))
        .collect();
    Ok(Inputs {
        vectors: found.into_iter().map(|v| v.input).collect(),
        mutants,
        peers: peer_inputs::from_peer_run()?,
    })
}

/// Judges every input ([`collect_inputs`]) with every engine at both levels.
pub fn run(dir: &Path) -> Result<Run, String> {
    let inputs = collect_inputs(dir)?;
    let engines = engines::all();
    let mut disagreements = Vec::new();
    let mut tally: BTreeMap<(Level, &'static str), Tally> = BTreeMap::new();
    for input in inputs.iter() {
        for level in Level::ALL {
            let verdicts = judge(&engines, input, level);
            for (name, verdict) in &verdicts {
                tally.entry((level, name)).or_default().count(verdict);
            }
            if disagree(&verdicts) {
                disagreements.push(Disagreement {
                    id: input.id.clone(),
                    level,
                    structure: input.structure,
                    verdicts,
                });
            }
        }
    }
    Ok(Run {
        vector_inputs: inputs.vectors.len(),
        mutants: inputs.mutants.len(),
        peer_inputs: inputs.peers.len(),
        verdicts: inputs.len() * engines.len() * Level::ALL.len(),
        tally,
        disagreements,
    })
}

/// The disagreements over the vector files in `dir`: what [`run`] finds, without the
/// counts.
pub fn disagreements(dir: &Path) -> Result<Vec<Disagreement>, String> {
    run(dir).map(|r| r.disagreements)
}

/// Every engine's verdict on `input` at `level`, a panic caught as a verdict.
pub fn judge(
    engines: &[Box<dyn DecodingEngine>],
    input: &Input,
    level: Level,
) -> Vec<(&'static str, Verdict)> {
    engines
        .iter()
        .map(|engine| (engine.name(), guarded(|| engine.judge(input, level))))
        .collect()
}

/// Whether the verdicts disagree: the engines that could judge did not all accept or all
/// reject, or one of them panicked.
pub fn disagree(verdicts: &[(&'static str, Verdict)]) -> bool {
    let classes: BTreeSet<Class> = verdicts.iter().filter_map(|(_, v)| v.class()).collect();
    classes.len() > 1 || classes.contains(&Class::Panic)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdicts(list: &[Verdict]) -> Vec<(&'static str, Verdict)> {
        engines::NAMES
            .iter()
            .copied()
            .zip(list.iter().cloned())
            .collect()
    }

    #[test]
    fn engines_that_all_reject_agree_whatever_their_errors_say() {
        let v = verdicts(&[
            Verdict::Rejected("Truncated".into()),
            Verdict::Rejected("EndOfStream".into()),
            Verdict::Rejected("UnexpectedEof".into()),
        ]);
        assert!(!disagree(&v));
    }

    #[test]
    fn one_engine_accepting_what_others_reject_is_a_disagreement() {
        let v = verdicts(&[
            Verdict::Rejected("x".into()),
            Verdict::Accepted,
            Verdict::Rejected("y".into()),
        ]);
        assert!(disagree(&v));
    }

    #[test]
    fn a_panic_is_a_disagreement_even_when_every_engine_panics() {
        let all_panic = verdicts(&[
            Verdict::Panicked("a".into()),
            Verdict::Panicked("b".into()),
            Verdict::Panicked("c".into()),
        ]);
        assert!(disagree(&all_panic));
    }

    #[test]
    fn engines_that_cannot_judge_are_left_out() {
        let v = verdicts(&[
            Verdict::Accepted,
            Verdict::NotApplicable("no decoder".into()),
            Verdict::NotApplicable("no decoder".into()),
        ]);
        assert!(!disagree(&v));
    }
}
