//! Decoding benchmarks: `decode_response` against `serde_json::Value` and a strict
//! `#[derive(Deserialize)]` struct of the same shape, on a 20,000-invoice GetInvoices answer
//! (~18 MB) and on GetClientsDetails. `cargo bench -p whmcs-api --bench decode` prints the ratios.

mod common;

use std::hint::black_box;

use criterion::{Criterion, Throughput};
use serde::Deserialize;
use whmcs_api::actions::{GetClientsDetails, GetInvoices};

/// What a hand-written client would declare: the answer as it is, no leniency.
#[derive(Deserialize)]
#[allow(dead_code)]
struct StrictInvoices {
    result: String,
    totalresults: u64,
    startnumber: u64,
    numreturned: u64,
    invoices: StrictWrapper,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct StrictWrapper {
    invoice: Vec<StrictInvoice>,
}

/// Money and dates as the strings they arrive as; the id as sent (number or string).
#[derive(Deserialize)]
#[allow(dead_code)]
struct StrictInvoice {
    id: serde_json::Value,
    userid: u64,
    firstname: String,
    lastname: String,
    companyname: String,
    invoicenum: String,
    date: String,
    duedate: String,
    datepaid: String,
    last_capture_attempt: String,
    date_refunded: String,
    date_cancelled: String,
    subtotal: String,
    credit: String,
    tax: String,
    tax2: String,
    total: String,
    taxrate: String,
    taxrate2: String,
    status: String,
    paymentmethod: String,
    paymethodid: Option<u64>,
    notes: String,
    created_at: String,
    updated_at: String,
    currencycode: String,
    currencyprefix: String,
    currencysuffix: String,
}

fn main() {
    let body = common::invoices_body(20_000);
    println!(
        "GetInvoices answer: {} invoices, {:.1} MB",
        20_000,
        body.len() as f64 / 1e6
    );
    // The typed decode must see every invoice, or the comparison is meaningless.
    let typed = whmcs_api::decode_response::<GetInvoices>(&body).expect("decodes");
    assert_eq!(typed.invoices.len(), 20_000);

    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_secs(1));
    let mut g = c.benchmark_group("decode_invoices");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("typed", |b| {
        b.iter(|| {
            whmcs_api::decode_response::<GetInvoices>(black_box(&body)).map(|r| r.invoices.len())
        })
    });
    g.bench_function("value", |b| {
        b.iter(|| {
            serde_json::from_slice::<serde_json::Value>(black_box(&body)).map(|v| v.is_object())
        })
    });
    g.bench_function("strict", |b| {
        b.iter(|| {
            serde_json::from_slice::<StrictInvoices>(black_box(&body))
                .map(|s| s.invoices.invoice.len())
        })
    });
    g.finish();

    let details = GetClientsDetails::INFO_EXAMPLE.as_bytes();
    let mut g = c.benchmark_group("decode_clients_details");
    g.throughput(Throughput::Bytes(details.len() as u64));
    g.bench_function("typed", |b| {
        b.iter(|| whmcs_api::decode_response::<GetClientsDetails>(black_box(details)).is_ok())
    });
    g.bench_function("value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(details)).is_ok())
    });
    g.finish();
    c.final_summary();

    println!();
    common::ratio(
        "typed vs serde_json::Value (GetInvoices 20k)",
        "decode_invoices",
        "typed",
        "value",
        "≥ 2.0×",
    );
    common::ratio(
        "typed vs strict derive (GetInvoices 20k)",
        "decode_invoices",
        "typed",
        "strict",
        "≥ 0.85×",
    );
    common::ratio(
        "typed vs serde_json::Value (GetClientsDetails)",
        "decode_clients_details",
        "typed",
        "value",
        "none set",
    );
}

/// The reference example of GetClientsDetails.
trait Example {
    const INFO_EXAMPLE: &'static str;
}

impl Example for GetClientsDetails {
    const INFO_EXAMPLE: &'static str =
        match <GetClientsDetails as whmcs_api::Action>::INFO.example_response() {
            Some(e) => e,
            None => "{}",
        };
}
