//! The progress of an exploration: cases done, cases per second, failures.

use std::time::Instant;

/// Where an exploration is.
#[derive(Debug, Clone)]
pub struct Progress {
    /// Cases played so far (shrinking runs not counted).
    pub done: u32,
    /// Cases asked for.
    pub total: u32,
    /// Failures found so far.
    pub failures: usize,
    /// Whether a failure is being shrunk right now.
    pub shrinking: bool,
    /// When the exploration started.
    pub started: Instant,
}

impl Progress {
    /// Cases per second since the start.
    pub fn rate(&self) -> f64 {
        let seconds = self.started.elapsed().as_secs_f64();
        if seconds > 0.0 {
            f64::from(self.done) / seconds
        } else {
            0.0
        }
    }

    /// `explore: 57/200 cases, 3.1 cases/s, 0 failures` (and `, shrinking` while so).
    pub fn line(&self) -> String {
        let plural = if self.failures == 1 { "" } else { "s" };
        format!(
            "explore: {}/{} cases, {:.1} cases/s, {} failure{plural}{}",
            self.done,
            self.total,
            self.rate(),
            self.failures,
            if self.shrinking { ", shrinking" } else { "" }
        )
    }
}
