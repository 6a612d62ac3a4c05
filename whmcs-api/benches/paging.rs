//! Paging at WHMCS's pace: 2,000 invoices, 100 per page, from a mock that takes 100 ms to answer
//! each call (as a PHP WHMCS with a database does), walked with one page request in flight and
//! with eight. Prints both times and the ratio, and checks both walks yield the same 2,000 items.
//! `cargo bench -p whmcs-api --bench paging`.

use std::time::{Duration, Instant};

use whmcs_api::Decimal;
use whmcs_api::actions::AddClientRequired;
use whmcs_api::actions::billing::create_invoice::InvoiceItem;
use whmcs_mock::MockServer;

const INVOICES: i64 = 2_000;
const PAGE: i64 = 100;
const RUNS: usize = 3;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let owner = client
        .add_client(AddClientRequired {
            firstname: "Bench",
            lastname: "Mark",
            email: "bench@example.com",
            address1: "1 Row",
            city: "X",
            state: "Y",
            postcode: "1",
            country: "GB",
            phonenumber: "1",
        })
        .await
        .expect("client")
        .clientid;
    for n in 0..INVOICES {
        let item = InvoiceItem::new(format!("line {n}"), Decimal::new(100 + n, 2));
        client
            .create_invoice(owner)
            .items([item])
            .await
            .expect("invoice");
    }
    mock.set_latency(Some(Duration::from_millis(100)));

    let mut times = [Vec::new(), Vec::new()];
    let mut ids = [Vec::new(), Vec::new()];
    for _ in 0..RUNS {
        for (slot, concurrency) in [(0, 1), (1, 8)] {
            let t0 = Instant::now();
            let items = client
                .get_invoices()
                .pages(PAGE)
                .concurrency(concurrency)
                .collect()
                .await
                .expect("every page");
            times[slot].push(t0.elapsed());
            ids[slot] = items.iter().filter_map(|i| i.id).collect::<Vec<i64>>();
        }
    }
    assert_eq!(ids[0].len(), INVOICES as usize, "sequential walk");
    assert_eq!(
        ids[0], ids[1],
        "both walks yield the same items in the same order"
    );
    let (seq, par) = (median(times[0].clone()), median(times[1].clone()));
    println!(
        "paging {INVOICES} invoices, {PAGE} per page, 100 ms per answer (median of {RUNS}): \
         1 in flight {:.2} s, 8 in flight {:.2} s: {:.1}x faster",
        seq.as_secs_f64(),
        par.as_secs_f64(),
        seq.as_secs_f64() / par.as_secs_f64()
    );
}
