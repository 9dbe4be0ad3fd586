//! The crate's modules form a strict layering: a module imports only modules of its own
//! layer or of the layers below it, so the import graph has no cycle.
//!
//! [`LAYERS`] is the one statement of the layering; the crate doc in `src/lib.rs` lists the
//! same layers in the same order. The check reads every `.rs` file under `src/` (test code
//! excepted: files named `tests.rs`, files under a `tests/` directory, and the items marked
//! `#[cfg(test)]`), finds every `crate::` path in code (comments are skipped, so doc links
//! do not count), expands `use` groups, and maps both the file and each path to a layer by
//! its longest matching prefix in the table.
//!
//! Std only, no parsing library: the crate's code is rustfmt-formatted, which is all the
//! scanning below relies on.

use std::fs;
use std::path::{Path, PathBuf};

/// The layers, lowest first. Each entry is a module path, or an item path where one
/// module's items sit in different layers (the crate-root re-exports `Error`, `Result` and
/// the `#[macro_export]`ed `wire_enum!`, and `error::DecodeError`, re-exported from
/// `error::decode`). A path belongs to the layer of its longest matching prefix.
const LAYERS: &[(&str, &[&str])] = &[
    ("decode error", &["error::decode", "error::DecodeError"]),
    ("codec", &["codec", "wire_enum"]),
    ("clock", &["clock"]),
    ("tree math", &["tree_math"]),
    ("vocabulary", &["vocabulary"]),
    ("error", &["error", "Error", "Result"]),
    ("crypto", &["crypto"]),
    ("state codec", &["state_codec"]),
    ("messages", &["messages"]),
    ("ratchet tree", &["ratchet_tree"]),
    ("treekem", &["treekem"]),
    ("psk", &["psk"]),
    ("secret tree", &["secret_tree"]),
    ("key schedule", &["key_schedule"]),
    ("transcript hash", &["transcript_hash"]),
    ("framing", &["framing"]),
    ("welcome", &["welcome"]),
    ("group", &["group"]),
    ("webapi", &["webapi"]),
];

/// One import of a higher layer: where it is and what it names.
#[derive(Debug)]
struct UpwardImport {
    file: String,
    line: usize,
    path: String,
    from_layer: &'static str,
    to_layer: &'static str,
}

/// The index in [`LAYERS`] and name of the layer of a module or item path, or `None` if
/// no entry of the table is a prefix of it.
fn layer_of(path: &str) -> Option<(usize, &'static str)> {
    let segments: Vec<&str> = path.split("::").collect();
    let mut best: Option<(usize, usize, &'static str)> = None; // (prefix length, index, name)
    for (index, (name, prefixes)) in LAYERS.iter().enumerate() {
        for prefix in *prefixes {
            let prefix: Vec<&str> = prefix.split("::").collect();
            if segments.starts_with(&prefix) && best.is_none_or(|(len, _, _)| prefix.len() > len) {
                best = Some((prefix.len(), index, name));
            }
        }
    }
    best.map(|(_, index, name)| (index, name))
}

/// The module path of a file under `src/`: `src/error/decode.rs` is `error::decode`,
/// `src/messages/mod.rs` is `messages`.
fn module_path(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("a file under src/");
    let mut segments: Vec<String> = relative
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    let last = segments.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        segments.push(stem.to_string());
    }
    segments.join("::")
}

/// Every `.rs` file under `dir` that is not test code.
fn source_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("a readable directory") {
        let path = entry.expect("a directory entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "tests" {
                source_files(&path, files);
            }
        } else if name.ends_with(".rs") && name != "tests.rs" {
            files.push(path);
        }
    }
}

/// The code of a file with comments and `#[cfg(test)]` items blanked out, one entry per
/// line (so that indices are line numbers minus one). A test item ends at its first line
/// ending in `;` at depth 0 (`mod tests;`) or where its braces balance again.
fn code_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_test_item = false;
    let mut depth = 0i64;
    for line in text.lines() {
        let code = match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        };
        if code.trim_start().starts_with("#[cfg(test)]") {
            in_test_item = true;
            depth = 0;
        }
        if in_test_item {
            lines.push(String::new());
            depth += code.matches('{').count() as i64 - code.matches('}').count() as i64;
            let item_line = !code.trim_start().starts_with("#[");
            if item_line && depth <= 0 && (code.contains('}') || code.trim_end().ends_with(';')) {
                in_test_item = false;
            }
            continue;
        }
        lines.push(code.to_string());
    }
    lines
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Reads the path that starts at `chars[*at]` (after a `crate::`), expanding `{a, b::c}`
/// groups, and pushes every full path (prefix included) to `out`, with the index of the
/// character where its last segment starts.
fn read_paths(chars: &[char], at: &mut usize, prefix: &str, out: &mut Vec<(usize, String)>) {
    let skip_space = |at: &mut usize| {
        while *at < chars.len() && chars[*at].is_whitespace() {
            *at += 1;
        }
    };
    skip_space(at);
    if *at < chars.len() && chars[*at] == '{' {
        *at += 1;
        while *at < chars.len() && chars[*at] != '}' {
            let before = *at;
            read_paths(chars, at, prefix, out);
            skip_space(at);
            if chars[*at..].starts_with(&['a', 's', ' ']) {
                // `x as y`: the rename is no path.
                *at += 3;
                while *at < chars.len() && (is_ident_char(chars[*at]) || chars[*at] == ' ') {
                    *at += 1;
                }
            }
            if (*at < chars.len() && chars[*at] == ',') || *at == before {
                *at += 1;
            }
            skip_space(at);
        }
        *at += 1;
        return;
    }
    let start = *at;
    let mut segment = String::new();
    while *at < chars.len() && is_ident_char(chars[*at]) {
        segment.push(chars[*at]);
        *at += 1;
    }
    let path = if prefix.is_empty() {
        segment
    } else {
        format!("{prefix}::{segment}")
    };
    if chars.get(*at..*at + 2) == Some(&[':', ':'][..]) {
        *at += 2;
        read_paths(chars, at, &path, out);
    } else if !path.is_empty() {
        // `a::b::self` names `a::b`, and so does the glob `a::b::*`.
        let path = path.trim_end_matches("::self").trim_end_matches("::");
        out.push((start, path.to_string()));
    }
}

/// Every `crate::` path in `lines`, with the line it starts on.
fn crate_paths(lines: &[String]) -> Vec<(usize, String)> {
    let text: Vec<char> = lines.join("\n").chars().collect();
    let needle: Vec<char> = "crate::".chars().collect();
    let line_of = |index: usize| 1 + text[..index].iter().filter(|&&c| c == '\n').count();
    let mut found = Vec::new();
    let mut at = 0;
    while at < text.len() {
        if text[at..].starts_with(&needle) && (at == 0 || !is_ident_char(text[at - 1])) {
            at += needle.len();
            let mut paths = Vec::new();
            read_paths(&text, &mut at, "", &mut paths);
            found.extend(paths.into_iter().map(|(index, p)| (line_of(index), p)));
        } else {
            at += 1;
        }
    }
    found
}

/// Every import of a higher layer in the crate's source, and every file or path that the
/// table does not place.
fn check(src: &Path) -> (Vec<UpwardImport>, Vec<String>) {
    let mut files = Vec::new();
    source_files(src, &mut files);
    files.sort();
    let mut upward = Vec::new();
    let mut unplaced = Vec::new();
    for file in files {
        let module = module_path(src, &file);
        let shown = format!("src/{}", file.strip_prefix(src).unwrap().display());
        if module == "lib" {
            continue; // The crate root declares the modules; it belongs to no layer.
        }
        let Some((own, own_name)) = layer_of(&module) else {
            unplaced.push(format!("{shown}: the module {module} is in no layer"));
            continue;
        };
        let text = fs::read_to_string(&file).expect("a readable source file");
        for (line, path) in crate_paths(&code_lines(&text)) {
            match layer_of(&path) {
                None => unplaced.push(format!("{shown}:{line}: crate::{path} is in no layer")),
                Some((layer, name)) if layer > own => upward.push(UpwardImport {
                    file: shown.clone(),
                    line,
                    path,
                    from_layer: own_name,
                    to_layer: name,
                }),
                Some(_) => {}
            }
        }
    }
    (upward, unplaced)
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_module_imports_a_higher_layer() {
    let (upward, unplaced) = check(&src_dir());
    let report: Vec<String> = upward
        .iter()
        .map(|u| {
            format!(
                "{}:{}: the {} layer imports crate::{} of the higher {} layer",
                u.file, u.line, u.from_layer, u.path, u.to_layer
            )
        })
        .chain(unplaced)
        .collect();
    assert!(report.is_empty(), "\n{}\n", report.join("\n"));
}

#[test]
fn the_crate_doc_lists_the_layers_in_the_order_of_the_table() {
    let lib = fs::read_to_string(src_dir().join("lib.rs")).expect("src/lib.rs");
    // The doc's layer list: lines `//! N. [`module`] ...`, in order.
    let listed: Vec<String> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("//! "))
        .filter(|l| {
            l.split_once(". ")
                .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
        })
        .map(|l| l.split_once(". ").unwrap().1.to_string())
        .collect();
    let names: Vec<&str> = LAYERS.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        listed.len(),
        names.len(),
        "the crate doc lists {} layers, the table {}:\n{listed:#?}",
        listed.len(),
        names.len()
    );
    for ((name, prefixes), line) in LAYERS.iter().zip(&listed) {
        let module = prefixes[0];
        assert!(
            line.contains(&format!("`{module}`")),
            "the crate doc's layer `{line}` is not the {name} layer ({module})"
        );
    }
}

#[test]
fn the_check_finds_an_upward_import_in_a_use_group() {
    let lines = vec![
        "use crate::codec::Codec;".to_string(),
        "use crate::{".to_string(),
        "    group::persist::{self, StateWriter as Writer, invalid},".to_string(),
        "    tree_math::LeafIndex,".to_string(),
        "};".to_string(),
        "fn f() -> crate::Result<()> { crate::wire_enum!(); }".to_string(),
    ];
    assert_eq!(
        crate_paths(&lines),
        vec![
            (1, "codec::Codec".to_string()),
            (3, "group::persist".to_string()),
            (3, "group::persist::StateWriter".to_string()),
            (3, "group::persist::invalid".to_string()),
            (4, "tree_math::LeafIndex".to_string()),
            (6, "Result".to_string()),
            (6, "wire_enum".to_string()),
        ]
    );
    assert_eq!(layer_of("group::persist::StateWriter").unwrap().1, "group");
    assert_eq!(layer_of("error::DecodeError").unwrap().1, "decode error");
    assert_eq!(layer_of("error::ProtocolViolation").unwrap().1, "error");
    assert!(layer_of("nowhere").is_none());
}

#[test]
fn the_check_skips_test_items_but_not_the_code_after_them() {
    let text = "\
#[cfg(test)]
mod tests;
use crate::group::Group;
#[cfg(test)]
mod more_tests {
    use crate::webapi::Mls;
    fn f() { let _ = \"{}\"; }
}
// crate::welcome in a comment
fn g() -> crate::Result<()> {}
";
    let paths: Vec<String> = crate_paths(&code_lines(text))
        .into_iter()
        .map(|(line, path)| format!("{line}:{path}"))
        .collect();
    assert_eq!(paths, ["3:group::Group", "10:Result"]);
}
