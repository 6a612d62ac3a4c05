//! Client-side pacing against the mock over loopback: a rate limit holds at the server across
//! clones of the client, and a cap on requests in flight holds them back.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use whmcs_api::Client;
use whmcs_mock::{MockServer, Reply, Request};

#[tokio::test]
async fn a_rate_limit_of_10_a_second_holds_over_50_calls() {
    let mock = MockServer::start().await.expect("mock");
    let arrivals = Arc::new(Mutex::new(Vec::<Instant>::new()));
    let seen = arrivals.clone();
    mock.on("GetCurrencies", move |_: &Request| {
        seen.lock().expect("lock").push(Instant::now());
        Reply::raw(
            200,
            r#"{"result":"success","totalresults":0,"currencies":{"currency":[]}}"#,
        )
    });
    let client = mock
        .client_builder()
        .rate_limit(10.0)
        .build()
        .expect("client");
    // Two clones share the limit; all 50 calls are started at once.
    let clones = [client.clone(), client];
    let calls = (0..50).map(|i| {
        let c = clones[i % 2].clone();
        async move { c.get_currencies().await.map(|_| ()) }
    });
    let started = Instant::now();
    for outcome in join_all(calls).await {
        outcome.expect("GetCurrencies");
    }
    let elapsed = started.elapsed();
    let mut at = arrivals.lock().expect("lock").clone();
    at.sort();
    assert_eq!(at.len(), 50);
    // In any window of 11 consecutive arrivals, the first and last are at least a second apart
    // (less a little for the scheduler): no more than 10 in any second.
    for w in at.windows(11) {
        let span = w[10] - w[0];
        assert!(
            span >= Duration::from_millis(950),
            "11 calls within {span:?}"
        );
    }
    assert!(elapsed >= Duration::from_millis(4_800), "{elapsed:?}");
    assert!(
        elapsed < Duration::from_secs(8),
        "not much slower than the limit: {elapsed:?}"
    );
}

#[tokio::test]
async fn max_in_flight_holds_calls_back() {
    let mock = MockServer::start().await.expect("mock");
    mock.set_latency(Some(Duration::from_millis(200)));
    let time = |client: Client| async move {
        let started = Instant::now();
        let calls = (0..6).map(|_| {
            let c = client.clone();
            async move { c.get_currencies().await.map(|_| ()) }
        });
        for outcome in join_all(calls).await {
            outcome.expect("GetCurrencies");
        }
        started.elapsed()
    };
    let capped = time(
        mock.client_builder()
            .max_in_flight(2)
            .build()
            .expect("client"),
    )
    .await;
    let free = time(mock.client().expect("client")).await;
    // Two at a time: three rounds of 200 ms; without the cap, about one.
    assert!(capped >= Duration::from_millis(600), "{capped:?}");
    assert!(free < Duration::from_millis(550), "{free:?}");
}

#[test]
fn limits_that_could_never_send_are_refused() {
    let builder = || {
        Client::builder()
            .url("http://127.0.0.1:9/")
            .api_credentials("i", "s")
    };
    for rate in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let e = builder().rate_limit(rate).build().expect_err("refused");
        assert!(e.to_string().contains("rate_limit"), "{e}");
    }
    let e = builder().max_in_flight(0).build().expect_err("refused");
    assert!(e.to_string().contains("max_in_flight"), "{e}");
    assert!(builder().rate_limit(0.5).max_in_flight(1).build().is_ok());
}
