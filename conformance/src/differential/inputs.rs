//! The inputs taken from the RFC 9420 vector files: every standalone structure they hold.
//!
//! | File | Inputs |
//! |---|---|
//! | `messages.json` | every field of every case, as the struct [`FIELDS`] names |
//! | `welcome.json` | `key_package`, `welcome` |
//! | `passive-client-*.json` | `key_package`, `welcome`, `ratchet_tree` when not null, and every `epochs[e].proposals[p]` and `epochs[e].commit` |
//!
//! An input's id is the vector case name ([`case_name`]: `<file-stem>/<suite>/<index>`)
//! followed by the field's path in the case, e.g. `messages/-/17/commit` or
//! `passive-client-random/1/0/epochs/57/proposals/3`.
//!
//! All of them are decoded; a fixed sample of them is also mutated (see
//! [`VectorInput::sampled`]), which keeps the run to a few seconds.

use std::path::Path;

use serde_json::Value;

use super::structure::Structure;
use crate::runners::messages::{FIELDS, field_bytes};
use crate::vectors::{case_name, load_cases};

/// One input: bytes that should hold one structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// A stable id, e.g. `messages/-/17/commit` or `messages/-/17/commit#flip@23`.
    pub id: String,
    /// The structure the bytes are decoded as.
    pub structure: Structure,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// An input as found in a vector file.
#[derive(Debug, Clone)]
pub struct VectorInput {
    /// The input.
    pub input: Input,
    /// Whether it is in the sample that is also mutated: every 25th case of
    /// `messages.json`, every case of `welcome.json`, and in each passive-client file the
    /// first case of each cipher suite, with only its first two epochs.
    pub sampled: bool,
}

/// Cases of `messages.json` whose index is a multiple of this are mutated.
const MESSAGES_SAMPLE_STRIDE: usize = 25;
/// Epochs of a sampled passive-client case that are mutated.
const SAMPLED_EPOCHS: usize = 2;

/// The passive-client files, which share one layout.
const PASSIVE_CLIENT_FILES: [&str; 3] = [
    "passive-client-welcome",
    "passive-client-handling-commit",
    "passive-client-random",
];

/// Every input of the vector files in `dir`. A file that is absent contributes nothing;
/// a file that is present but malformed is an error.
pub fn from_vector_dir(dir: &Path) -> Result<Vec<VectorInput>, String> {
    let mut out = Vec::new();
    if let Some(cases) = load(dir, "messages")? {
        from_messages(&cases, &mut out)?;
    }
    if let Some(cases) = load(dir, "welcome")? {
        for (index, case) in cases.iter().enumerate() {
            let name = case_name("welcome", case, index);
            for field in ["key_package", "welcome"] {
                push_hex(&mut out, &name, field, case, Structure::MlsMessage, true)?;
            }
        }
    }
    for stem in PASSIVE_CLIENT_FILES {
        if let Some(cases) = load(dir, stem)? {
            from_passive_client(stem, &cases, &mut out)?;
        }
    }
    Ok(out)
}

fn load(dir: &Path, stem: &str) -> Result<Option<Vec<Value>>, String> {
    let path = dir.join(format!("{stem}.json"));
    if path.is_file() {
        load_cases(&path).map(Some)
    } else {
        Ok(None)
    }
}

fn from_messages(cases: &[Value], out: &mut Vec<VectorInput>) -> Result<(), String> {
    for (index, case) in cases.iter().enumerate() {
        let name = case_name("messages", case, index);
        for field in FIELDS {
            let structure = Structure::from_rfc_name(field.rfc_struct)
                .ok_or_else(|| format!("messages.json field {}: no structure", field.name))?;
            let bytes = field_bytes(case, field.name).map_err(|e| format!("{name}: {e:?}"))?;
            out.push(VectorInput {
                input: Input {
                    id: format!("{name}/{}", field.name),
                    structure,
                    bytes,
                },
                sampled: index % MESSAGES_SAMPLE_STRIDE == 0,
            });
        }
    }
    Ok(())
}

fn from_passive_client(
    stem: &str,
    cases: &[Value],
    out: &mut Vec<VectorInput>,
) -> Result<(), String> {
    let mut suites_seen = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let name = case_name(stem, case, index);
        let suite = case.get("cipher_suite").and_then(Value::as_u64);
        let first_of_suite = !suites_seen.contains(&suite);
        suites_seen.push(suite);

        for field in ["key_package", "welcome"] {
            push_hex(
                out,
                &name,
                field,
                case,
                Structure::MlsMessage,
                first_of_suite,
            )?;
        }
        if case.get("ratchet_tree").is_some_and(|t| !t.is_null()) {
            push_hex(
                out,
                &name,
                "ratchet_tree",
                case,
                Structure::RatchetTree,
                first_of_suite,
            )?;
        }
        let epochs = case
            .get("epochs")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("{name}: no epochs array"))?;
        for (e, epoch) in epochs.iter().enumerate() {
            let sampled = first_of_suite && e < SAMPLED_EPOCHS;
            let proposals = epoch
                .get("proposals")
                .and_then(Value::as_array)
                .ok_or_else(|| format!("{name}: epochs/{e}: no proposals array"))?;
            for (p, proposal) in proposals.iter().enumerate() {
                let id = format!("{name}/epochs/{e}/proposals/{p}");
                let bytes = hex_value(proposal, &id)?;
                out.push(VectorInput {
                    input: Input {
                        id,
                        structure: Structure::MlsMessage,
                        bytes,
                    },
                    sampled,
                });
            }
            let prefix = format!("{name}/epochs/{e}");
            push_hex(
                out,
                &prefix,
                "commit",
                epoch,
                Structure::MlsMessage,
                sampled,
            )?;
        }
    }
    Ok(())
}

fn push_hex(
    out: &mut Vec<VectorInput>,
    prefix: &str,
    field: &str,
    object: &Value,
    structure: Structure,
    sampled: bool,
) -> Result<(), String> {
    let id = format!("{prefix}/{field}");
    let value = object.get(field).ok_or_else(|| format!("{id}: missing"))?;
    let bytes = hex_value(value, &id)?;
    out.push(VectorInput {
        input: Input {
            id,
            structure,
            bytes,
        },
        sampled,
    });
    Ok(())
}

fn hex_value(value: &Value, id: &str) -> Result<Vec<u8>, String> {
    let text = value
        .as_str()
        .ok_or_else(|| format!("{id}: not a hex string"))?;
    hex::decode(text).map_err(|e| format!("{id}: {e}"))
}
