//! Decodes a large GetInvoices answer in a loop, for profiling (`perf`, `valgrind`).
#[path = "../benches/common.rs"]
mod common;

fn main() {
    sizes();
    let zero_dates = std::env::args().nth(1).as_deref() != Some("no-zero");
    let mut body = common::invoices_body(20_000);
    if !zero_dates {
        let text = String::from_utf8(body)
            .unwrap_or_default()
            .replace("0000-00-00 00:00:00", "2016-02-02 10:10:10")
            .replace("null", "7");
        body = text.into_bytes();
    }
    let rounds: usize = std::env::args()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    let start = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..rounds {
        n += whmcs_api::decode_response::<whmcs_api::actions::GetInvoices>(&body)
            .map(|r| r.invoices.len())
            .unwrap_or(0);
    }
    println!(
        "{} invoices, {:.1} ms per decode",
        n / rounds,
        start.elapsed().as_secs_f64() * 1e3 / rounds as f64
    );
}

#[allow(dead_code)]
fn sizes() {
    println!(
        "Invoice {} Decimal {} Option<Decimal> {} Option<String> {} Extra {} Option<DateTime> {} Option<InvoiceStatus> {}",
        std::mem::size_of::<whmcs_api::actions::types::Invoice>(),
        std::mem::size_of::<whmcs_api::Decimal>(),
        std::mem::size_of::<Option<whmcs_api::Decimal>>(),
        std::mem::size_of::<Option<String>>(),
        std::mem::size_of::<whmcs_api::Extra>(),
        std::mem::size_of::<Option<whmcs_api::DateTime>>(),
        std::mem::size_of::<Option<whmcs_api::actions::types::InvoiceStatus>>()
    );
}
