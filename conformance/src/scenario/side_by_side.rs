//! One script played under several bindings, shown as columns: the view of
//! `mlsconf scenario`, for reading a scenario step by step across engines.

use std::fmt::Write as _;

use super::binding::Binding;
use super::matrix::text_table;
use super::script::Script;
use super::trace::{Run, StepOutcome, Verdict};

/// The column heading of a run: the engine when every client runs on it,
/// `creator→joiner` for a pair, `mixed(a,b)` for a mixed group.
pub fn heading(run: &Run) -> String {
    match &run.binding {
        Binding::Pair { creator, joiner } if creator == joiner => creator.clone(),
        Binding::Pair { creator, joiner } => format!("{creator}→{joiner}"),
        Binding::Mixed { engines } => format!("mixed({})", engines.join(",")),
    }
}

/// The script's name and description, who runs on which engine per column, a table of
/// every step (rows) by run (columns), the result row, then every failure and skip in
/// full.
pub fn render(script: &Script, runs: &[Run]) -> String {
    let mut out = format!("scenario: {}\n", script.name);
    if !script.description.is_empty() {
        let _ = writeln!(out, "  {}", script.description);
    }
    out.push('\n');
    for run in runs {
        let _ = writeln!(out, "{} ({}): {}", heading(run), run.label, engines_of(run));
    }
    out.push('\n');

    let mut rows = vec![
        ["step", "action"]
            .into_iter()
            .map(str::to_owned)
            .chain(runs.iter().map(heading))
            .collect::<Vec<_>>(),
    ];
    for (i, step) in script.steps.iter().enumerate() {
        let mut row = vec![(i + 1).to_string(), step.describe()];
        row.extend(runs.iter().map(|run| match run.steps.get(i) {
            Some(trace) => cell(&trace.outcome),
            None => "-".to_owned(),
        }));
        rows.push(row);
    }
    let mut result = vec![String::new(), "result".to_owned()];
    result.extend(runs.iter().map(|run| match &run.verdict {
        Verdict::Passed => "passed".to_owned(),
        Verdict::Failed { step, .. } => format!("FAILED at step {step}"),
        Verdict::Skipped { .. } => "skipped".to_owned(),
    }));
    rows.push(result);
    out.push_str(&text_table(&rows));

    let mut footer = String::new();
    for run in runs {
        match &run.verdict {
            Verdict::Passed => {}
            Verdict::Failed { step, message } => {
                let _ = writeln!(footer, "{} failed at step {step}: {message}", heading(run));
            }
            Verdict::Skipped { reason } => {
                let _ = writeln!(footer, "{} skipped: {reason}", heading(run));
            }
        }
    }
    if !footer.is_empty() {
        out.push('\n');
        out.push_str(&footer);
    }
    out
}

/// A step's cell: its outcome, and its note in parentheses.
fn cell(outcome: &StepOutcome) -> String {
    match outcome {
        StepOutcome::Ok {
            note: Some(note), ..
        } => format!("{} ({note})", outcome.cell()),
        _ => outcome.cell(),
    }
}

/// `alice: openmls; bob, carol: mls-rs`, clients grouped by engine in order of first
/// appearance.
fn engines_of(run: &Run) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for (client, engine) in &run.clients {
        match groups.iter_mut().find(|(e, _)| e == engine) {
            Some((_, clients)) => clients.push(client),
            None => groups.push((engine, vec![client])),
        }
    }
    groups
        .iter()
        .map(|(engine, clients)| {
            let shown = if clients.len() > 6 {
                format!(
                    "{}, … {} ({} clients)",
                    clients[..3].join(", "),
                    clients[clients.len() - 1],
                    clients.len()
                )
            } else {
                clients.join(", ")
            };
            format!("{shown}: {engine}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}
