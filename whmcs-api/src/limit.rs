//! Client-side pacing: a rate limit (calls spaced evenly) and a cap on requests in flight,
//! shared by every clone of a client.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, SemaphorePermit};

/// Spaces requests `interval` apart: each takes the next free start time, so at most
/// `1 / interval` requests start in any second and none start in a burst. (A token bucket whose
/// bucket holds one token; a request that is dropped after taking its slot leaves a gap.)
#[derive(Debug)]
pub(crate) struct RateLimit {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl RateLimit {
    /// A limit of `calls_per_second` (finite, above 0: checked by the builder).
    pub(crate) fn new(calls_per_second: f64) -> Self {
        Self {
            interval: Duration::from_secs_f64(1.0 / calls_per_second),
            next: Mutex::new(None),
        }
    }

    /// Waits for this request's turn.
    pub(crate) async fn wait(&self) {
        let start = {
            let mut next = self
                .next
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            let start = next.map_or(now, |n| n.max(now));
            *next = Some(start + self.interval);
            start
        };
        tokio::time::sleep_until(start.into()).await;
    }
}

/// The pacing of one client: both limits optional.
#[derive(Debug, Default)]
pub(crate) struct Pacing {
    pub(crate) rate: Option<RateLimit>,
    pub(crate) in_flight: Option<Semaphore>,
}

impl Pacing {
    /// Waits until a request may be sent; the permit (if any) is held while it is in flight.
    pub(crate) async fn admit(&self) -> Option<SemaphorePermit<'_>> {
        let permit = match &self.in_flight {
            // The semaphore is never closed, so acquiring only fails if it were.
            Some(s) => s.acquire().await.ok(),
            None => None,
        };
        if let Some(rate) = &self.rate {
            rate.wait().await;
        }
        permit
    }
}
