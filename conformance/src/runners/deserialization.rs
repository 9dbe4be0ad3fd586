//! Runner for `deserialization.json`: the variable-length vector header of RFC 9420
//! §2.1.2. Each case is a header and the length it encodes.

use mls_webapi::codec::Reader;
use serde::Deserialize;

use crate::check::{CaseResult, context, eq, hex_bytes, parse};

#[derive(Deserialize)]
struct Case {
    #[serde(with = "hex_bytes")]
    vlbytes_header: Vec<u8>,
    length: usize,
}

/// Checks one case: the header decodes to `length` and uses every byte.
pub fn run(case: &serde_json::Value) -> CaseResult {
    let case: Case = parse(case)?;
    let mut r = Reader::new(&case.vlbytes_header);
    let length = context(r.varint(), "vlbytes_header")?;
    context(r.finish(), "vlbytes_header")?;
    eq("length", length, case.length)
}
