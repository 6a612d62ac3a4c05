//! Peak memory while decoding a ~100 MB GetInvoices answer, counted by a global allocator:
//! the body itself plus everything decoding allocates, compared with the body size (target:
//! at most 2×). `cargo bench -p whmcs-api --bench peak_memory`.

// A counting allocator needs `unsafe`; it only forwards to the system allocator.
#![allow(unsafe_code)]

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator; only the byte counts are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let now = CURRENT.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                    - layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn measure<T>(label: &str, body: &[u8], decode: impl FnOnce(&[u8]) -> T) {
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = decode(body);
    let peak = PEAK.load(Ordering::Relaxed);
    let kept = CURRENT.load(Ordering::Relaxed) - base;
    drop(out);
    let body_len = body.len() as f64;
    // The body is already allocated when decoding starts; the peak counts it too.
    let total = (peak - base) as f64 + body_len;
    println!(
        "{label}: peak {:.0} MB = {:.2}× the body (decoded result {:.0} MB)",
        total / 1e6,
        total / body_len,
        kept as f64 / 1e6
    );
}

/// The process's peak resident set (Linux `VmHWM`), in bytes.
fn rss_peak() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024.0)
}

fn main() {
    let n = 160_000;
    let body = common::invoices_body(n);
    println!(
        "GetInvoices answer: {n} invoices, {:.0} MB",
        body.len() as f64 / 1e6
    );
    let before = rss_peak();
    measure("typed decode_response (target ≤ 2×)", &body, |b| {
        whmcs_api::decode_response::<whmcs_api::actions::GetInvoices>(b)
            .map(|r| r.invoices.len())
            .ok()
    });
    if let (Some(before), Some(after)) = (before, rss_peak()) {
        println!(
            "  resident set: peak {:.0} MB with the body loaded before decoding ({:.0} MB) = {:.2}× the body",
            after / 1e6,
            before / 1e6,
            after / body.len() as f64
        );
    }
    measure("typed decode_response, result kept", &body, |b| {
        whmcs_api::decode_response::<whmcs_api::actions::GetInvoices>(b).ok()
    });
    measure("serde_json::Value, result kept", &body, |b| {
        serde_json::from_slice::<serde_json::Value>(b).ok()
    });
}
