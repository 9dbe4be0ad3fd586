//! Running independent jobs on a few threads, keeping their results in job order.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The stack size of worker threads: engines in debug builds recurse deeply enough that
/// the default is not always enough.
const STACK_SIZE: usize = 16 << 20;

/// `work(job)` for every job, on up to `threads` threads (the calling one included),
/// calling `tick` after each. The results come back in job order.
pub fn map<J: Sync, R: Send + Sync>(
    jobs: &[J],
    threads: usize,
    work: &(dyn Fn(&J) -> R + Sync),
    tick: &(dyn Fn() + Sync),
) -> Vec<R> {
    let slots: Vec<OnceLock<R>> = jobs.iter().map(|_| OnceLock::new()).collect();
    let next = AtomicUsize::new(0);
    let worker = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else {
                break;
            };
            let _ = slots[i].set(work(job));
            tick();
        }
    };
    let threads = threads.clamp(1, jobs.len().max(1));
    std::thread::scope(|scope| {
        for _ in 1..threads {
            std::thread::Builder::new()
                .stack_size(STACK_SIZE)
                .spawn_scoped(scope, worker)
                .expect("spawn a worker thread");
        }
        worker();
    });
    slots
        .into_iter()
        .map(|s| s.into_inner().expect("every job ran"))
        .collect()
}

/// The number of threads to use: what the machine offers.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_job_order_whatever_the_threads() {
        let jobs: Vec<u32> = (0..100).collect();
        let ticks = AtomicUsize::new(0);
        let out = map(&jobs, 4, &|j| j * 2, &|| {
            ticks.fetch_add(1, Ordering::Relaxed);
        });
        assert_eq!(out, (0..100).map(|j| j * 2).collect::<Vec<_>>());
        assert_eq!(ticks.load(Ordering::Relaxed), 100);
    }

    #[test]
    fn no_jobs_give_no_results() {
        let jobs: Vec<u32> = Vec::new();
        assert!(map(&jobs, 3, &|j| *j, &|| {}).is_empty());
    }
}
