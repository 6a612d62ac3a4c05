//! Encoding benchmark: an AddOrder with 50 items (parallel arrays, base64-serialized custom fields
//! and configurable options) into the form body, against `serde_urlencoded` writing the same
//! pairs from a flat, already-prepared list. `cargo bench -p whmcs-api --bench encode`.

mod common;

use std::hint::black_box;

use criterion::Criterion;
use whmcs_api::actions::AddOrder;
use whmcs_api::{Action, Form, PhpArray};

fn order() -> AddOrder {
    let n = 50;
    AddOrder::new(42, "mailin")
        .pid((0..n).map(|i| 1 + i % 7))
        .qty((0..n).map(|i| 1 + i % 3))
        .domain((0..n).map(|i| format!("shop-{i}.example.com")))
        .billingcycle((0..n).map(|i| ["monthly", "annually", "quarterly"][i as usize % 3]))
        .customfields((0..n).map(|i| {
            PhpArray::new()
                .with(1, format!("Customer {i}"))
                .with(2, "Google")
        }))
        .configoptions((0..n).map(|i| PhpArray::new().with(4, 12 + i).with(7, 3)))
        .dnsmanagement((0..n).map(|i| i % 2 == 0))
        .nameserver1("ns1.example.com")
        .nameserver2("ns2.example.com")
}

fn main() {
    let order = order();
    let mut form = Form::new();
    order.encode(&mut form);
    let body = form.into_string();
    // The flat equivalent: the same pairs, values already serialized, as a hand-written client
    // would hold them before calling serde_urlencoded.
    let pairs: Vec<(String, String)> = body
        .split('&')
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let text = |s: &str| {
                whmcs_php::parse_str(&format!("k={s}"))["k"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            };
            (text(k), text(v))
        })
        .collect();
    let flat = serde_urlencoded::to_string(&pairs).expect("urlencoded");
    println!(
        "AddOrder with 50 items: {} pairs, {} bytes (serde_urlencoded: {} bytes)",
        pairs.len(),
        body.len(),
        flat.len()
    );

    let mut c = Criterion::default().configure_from_args().sample_size(50);
    let mut g = c.benchmark_group("encode_add_order");
    g.bench_function("typed", |b| {
        b.iter(|| {
            let mut form = Form::new();
            black_box(&order).encode(&mut form);
            form.into_string().len()
        })
    });
    g.bench_function("serde_urlencoded", |b| {
        b.iter(|| serde_urlencoded::to_string(black_box(&pairs)).map(|s| s.len()))
    });
    g.finish();
    c.final_summary();
    println!();
    common::ratio(
        "typed encode vs serde_urlencoded of the flat pairs",
        "encode_add_order",
        "typed",
        "serde_urlencoded",
        "report only",
    );
}
