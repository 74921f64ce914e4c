//! A progress bar on standard error for scans of many repositories: only on a terminal, never with
//! `--quiet`, and only once the scan has run long enough for the user to wonder.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Scans shorter than this finish without a bar flashing by.
const SHOW_AFTER: Duration = Duration::from_millis(300);

pub(crate) struct ScanProgress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: AtomicBool,
}

impl ScanProgress {
    pub fn new(repositories: usize, quiet: bool) -> ScanProgress {
        let wanted = !quiet && repositories > 1 && std::io::stderr().is_terminal();
        let bar = wanted.then(|| {
            let bar = ProgressBar::with_draw_target(
                Some(repositories as u64),
                ProgressDrawTarget::hidden(),
            );
            let style = ProgressStyle::with_template(
                "{bar:40} {pos}/{len} repositories, {elapsed} (eta {eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        ScanProgress {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
        }
    }

    /// One more repository done; called from the worker threads.
    pub fn tick(&self) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if self.started.elapsed() >= SHOW_AFTER && !self.shown.swap(true, Ordering::Relaxed) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Removes the bar before the report is written.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
